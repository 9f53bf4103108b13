import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { parseEnv } from '@customer-sync/config';
import { interpolate } from './compose-interpolation';
import { defaultPort, SERVICE_SCHEMAS } from './service-schemas';

const ROOT = join(__dirname, '../..');

interface ComposeService {
  image?: string;
  profiles?: string[];
  build?: { dockerfile: string; args: Record<string, string> };
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, unknown>;
}
type ComposeFile = { services: Record<string, ComposeService> };

const raw = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
/** The file as `docker compose config` sees it, for a caller's environment. */
const compose = (env: Record<string, string> = {}) => interpolate(raw, env);

function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // This revision labels sub-schemas with draft-04 `id`s (JSON pointers to themselves): annotations only.
  ajv.removeKeyword('id');
  // Compose's own formats; the schema names them, the test accepts what Compose accepts syntactically.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', true).addFormat('expose', true).addFormat('subnet_ip_address', true);
  // It declares draft 2019-09 by an older URI (http, trailing #) that Ajv does not know by name; Ajv2019 is that draft.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(join(__dirname, 'compose-spec.schema.json'), 'utf8'));
  return ajv.compile(schema);
}

/** A service's environment as the process sees it: the image's PORT (a build argument) plus compose's environment. */
const processEnv = (service: ComposeService) => ({
  PORT: service.build?.args.PORT,
  ...Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)])),
});

const appOf = (name: string, service: ComposeService) =>
  service.command?.includes('dist/tools/migrate.js') ? 'migrate' : (service.build?.args.APP ?? name);
const ours = () => Object.entries(compose().services).filter(([, s]) => s.build);

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = validator();
    const valid = validate(compose());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('keeps the emulator in the `emulator` profile, and nothing always started depends on it', () => {
    const { services } = compose();
    expect(services['stripe-emulator']?.profiles).toEqual(['emulator']);
    for (const [name, service] of Object.entries(services)) {
      if (service.profiles) continue;
      for (const dependency of Object.keys(service.depends_on ?? {}))
        expect([name, services[dependency]?.profiles]).toEqual([name, undefined]);
    }
  });

  it('points the services at real Stripe when the caller sets an empty STRIPE_API_URL, and at the emulator by default', () => {
    for (const name of ['stripe-sync-worker', 'db-writer']) {
      expect(compose({ STRIPE_API_URL: '' }).services[name]!.environment!.STRIPE_API_URL).toBe('');
      expect(compose().services[name]!.environment!.STRIPE_API_URL).toBe('http://stripe-emulator:12111');
    }
  });

  it.each(ours().map(([name]) => name))('%s: its environment is a valid config of the app it runs', (name) => {
    const service = compose().services[name]!;
    const schema = SERVICE_SCHEMAS[appOf(name, service)]!;
    expect(() => parseEnv(schema, processEnv(service))).not.toThrow();
    if (appOf(name, service) !== 'migrate') expect(Number(service.build!.args.PORT)).toBe(defaultPort(schema));
  });

  it('builds every image of ours from the one Dockerfile, for an app that exists, tagged with a version (never latest)', () => {
    for (const [, service] of ours()) {
      expect(service.build!.dockerfile).toBe('docker/service.Dockerfile');
      expect(existsSync(join(ROOT, 'apps', service.build!.args.APP!, 'src/main.ts'))).toBe(true);
      expect(service.image).toMatch(/^customer-sync\/[a-z-]+:\d+\.\d+\.\d+$/);
    }
    for (const service of Object.values(compose().services)) expect(service.image).not.toMatch(/:latest$|^[^:]+$/);
  });
});
