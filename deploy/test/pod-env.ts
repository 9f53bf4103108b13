import type { K8sObject } from './kustomize-lite';

/** A container as far as the checks read it. */
export interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: unknown[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } };
}

/** The pod spec of a Deployment or Job. */
export const podSpec = (o: K8sObject) => (o.spec as { template: { spec: Record<string, unknown> } }).template.spec;
export const containersOf = (o: K8sObject, which: 'containers' | 'initContainers' = 'containers') =>
  (podSpec(o)[which] as Container[] | undefined) ?? [];

/** The Secret keys a container reads, as `secret/key`. */
export const secretRefs = (c: Container) =>
  (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));

/**
 * A container's environment as the process would see it, resolved from the rendered ConfigMaps and
 * Secrets; a reference to something not rendered resolves to undefined.
 */
export function resolveEnv(c: Container, objects: K8sObject[]): Record<string, string | undefined> {
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name) as
      | { data?: Record<string, string>; stringData?: Record<string, string> }
      | undefined;
  return Object.fromEntries(
    (c.env ?? []).map((e) => {
      const cm = e.valueFrom?.configMapKeyRef;
      const secret = e.valueFrom?.secretKeyRef;
      if (cm) return [e.name, find('ConfigMap', cm.name)?.data?.[cm.key]];
      if (secret) return [e.name, find('Secret', secret.name)?.stringData?.[secret.key]];
      return [e.name, e.value];
    }),
  );
}
