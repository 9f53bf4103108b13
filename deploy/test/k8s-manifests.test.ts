import { join } from 'node:path';
import { parseEnv } from '@customer-sync/config';
import { validateK8sObject } from './k8s-schemas';
import { renderKustomization, type K8sObject } from './kustomize-lite';
import { containersOf, podSpec, resolveEnv, secretRefs, type Container } from './pod-env';
import { requiredVariables, SERVICE_SCHEMAS } from './service-schemas';

// No kubectl or kustomize binary is assumed (CI has neither): kustomize-lite renders exactly the
// features the overlays use and fails on any other. Its output was checked equal, object for
// object, to `kubectl kustomize` (kustomize v5.5.0) for both overlays.
const K8S = join(__dirname, '../k8s');
const HTTP_ENTRY_POINTS = ['api-service', 'webhook-ingress'];
const CONSUMERS = ['stripe-sync-worker', 'db-writer'];
const USES_DATABASE = ['api-service', 'db-writer'];

const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const envNames = (c: Container) => (c.env ?? []).map((e) => e.name);
const schemaOf = (workload: K8sObject, container: Container) =>
  SERVICE_SCHEMAS[container.command?.includes('dist/tools/migrate.js') ? 'migrate' : workload.metadata.name]!;
const workloads = (objects: K8sObject[]) => [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')];
const allContainers = (o: K8sObject) => [...containersOf(o, 'initContainers'), ...containersOf(o)];

describe.each(['local', 'production'])('deploy/k8s/overlays/%s', (overlay) => {
  const objects = renderKustomization(join(K8S, 'overlays', overlay));
  const partitions = Number(
    (named(objects, 'ConfigMap', 'customer-sync') as unknown as { data: Record<string, string> }).data
      .KAFKA_TOPIC_PARTITIONS,
  );

  it('renders objects that are all valid against the Kubernetes schemas of their kinds', () => {
    expect(objects.length).toBeGreaterThan(15);
    for (const object of objects) expect(() => validateK8sObject(object)).not.toThrow();
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['customer-sync']));
  });

  it('runs every image by a version tag, never latest', () => {
    for (const c of workloads(objects).flatMap(allContainers))
      expect(c.image).toMatch(/^[a-z0-9./-]+\/[a-z-]+:\d+\.\d+\.\d+$/);
  });

  it('gives each container only variables its config schema reads, and every variable it requires', () => {
    for (const workload of workloads(objects)) {
      for (const c of allContainers(workload)) {
        const schema = schemaOf(workload, c);
        expect([c.name, envNames(c).filter((n) => !(n in schema.shape))]).toEqual([c.name, []]);
        expect([c.name, requiredVariables(schema).filter((n) => !envNames(c).includes(n))]).toEqual([c.name, []]);
        expect(c.envFrom).toBeUndefined();
      }
    }
  });

  it('has each workload read only its own Secret', () => {
    for (const workload of workloads(objects)) {
      for (const ref of allContainers(workload).flatMap(secretRefs))
        expect([workload.metadata.name, ref.name]).toEqual([workload.metadata.name, workload.metadata.name]);
    }
  });

  it.each(ofKind(objects, 'Deployment').map((d) => d.metadata.name))(
    '%s listens on its PORT, where its probes and Service point',
    (name) => {
      const deployment = named(objects, 'Deployment', name)!;
      const [container] = containersOf(deployment);
      const port = container!.ports!.find((p) => p.name === 'http')!.containerPort;
      expect(container!.env!.find((e) => e.name === 'PORT')?.value).toBe(String(port));
      expect(container!.startupProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container!.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container!.readinessProbe?.httpGet).toEqual({ path: '/ready', port: 'http' });
      const service = named(objects, 'Service', name) as
        | { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }
        | undefined;
      if (HTTP_ENTRY_POINTS.includes(name) || service) {
        const labels = (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template
          .metadata.labels;
        expect(service!.spec.ports.map((p) => p.targetPort)).toEqual(['http']);
        expect(labels).toMatchObject(service!.spec.selector);
      }
    },
  );

  it.each(workloads(objects).map((w) => w.metadata.name))(
    '%s runs non-root, read-only, without privilege escalation, within resources, as its own ServiceAccount',
    (name) => {
      const workload = workloads(objects).find((w) => w.metadata.name === name)!;
      expect(podSpec(workload).securityContext).toMatchObject({ runAsNonRoot: true });
      for (const c of allContainers(workload)) {
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources?.requests).toEqual(
          expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
        );
        expect(c.resources?.limits?.memory).toEqual(expect.any(String));
      }
      expect(podSpec(workload).serviceAccountName).toBe(name);
      expect(named(objects, 'ServiceAccount', name)).toBeDefined();
    },
  );

  it('has a PodDisruptionBudget for every Deployment', () => {
    for (const deployment of ofKind(objects, 'Deployment')) {
      const pdb = named(objects, 'PodDisruptionBudget', deployment.metadata.name) as
        | { spec: { selector: { matchLabels: Record<string, string> } } }
        | undefined;
      expect(pdb?.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': deployment.metadata.name });
    }
  });

  it('scales the two consumers with an HPA bounded by the partition count, and nothing else', () => {
    const hpas = ofKind(objects, 'HorizontalPodAutoscaler') as unknown as {
      spec: { scaleTargetRef: { kind: string; name: string }; maxReplicas: number; minReplicas: number };
    }[];
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual([...CONSUMERS].sort());
    for (const hpa of hpas) {
      expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(partitions);
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      expect(
        (named(objects, 'Deployment', hpa.spec.scaleTargetRef.name)!.spec as { replicas?: number }).replicas,
      ).toBeUndefined();
    }
  });

  it('migrates in a Job, and the Deployments that use the database wait for its schema first', () => {
    const [job] = ofKind(objects, 'Job');
    expect(containersOf(job!)[0]!.command).toEqual(['node', 'dist/tools/migrate.js', 'latest']);
    for (const name of USES_DATABASE) {
      const wait = containersOf(named(objects, 'Deployment', name)!, 'initContainers');
      expect(wait.map((c) => c.command)).toEqual([['node', 'dist/tools/migrate.js', 'wait']]);
    }
  });

  if (overlay === 'local') {
    it('gives each container an environment its config accepts, and each Secret exactly the keys its service reads', () => {
      for (const workload of workloads(objects)) {
        for (const c of allContainers(workload))
          expect(() => parseEnv(schemaOf(workload, c), resolveEnv(c, objects))).not.toThrow();
        const secret = named(objects, 'Secret', workload.metadata.name) as
          | { stringData: Record<string, string> }
          | undefined;
        const read = new Set(
          allContainers(workload)
            .flatMap(secretRefs)
            .map((r) => r.key),
        );
        expect(Object.keys(secret?.stringData ?? {}).sort()).toEqual([...read].sort());
      }
    });
  } else {
    it('renders no Secret: production credentials come from the cluster, not this repository', () => {
      expect(ofKind(objects, 'Secret')).toEqual([]);
    });
  }
});
