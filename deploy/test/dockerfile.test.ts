import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCKERFILE = readFileSync(join(__dirname, '../../docker/service.Dockerfile'), 'utf8');

/** Instructions per stage (continuation lines joined, comments dropped), keyed by stage name; the last stage is `final`. */
function stages(text: string): Record<string, string[]> {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const result: Record<string, string[]> = {};
  let current: string[] = [];
  for (const line of lines) {
    if (line.startsWith('FROM ')) {
      current = [];
      result[/ AS (\S+)$/i.exec(line)?.[1] ?? 'final'] = current;
    }
    current.push(line);
  }
  return result;
}

const stage = stages(DOCKERFILE);
const indexOf = (lines: string[], pattern: RegExp) => lines.findIndex((l) => pattern.test(l));

describe('docker/service.Dockerfile', () => {
  it('installs dependencies in a layer before any source is copied', () => {
    for (const name of ['build', 'runtime-deps']) {
      const lines = stage[name]!;
      const install = indexOf(lines, /^RUN npm ci\b/);
      expect(install).toBeGreaterThan(0);
      // Before the install only the manifests arrive (the lock file and the package.json files).
      for (const copy of lines.slice(0, install).filter((l) => l.startsWith('COPY')))
        expect(copy).toMatch(/package\.json|--from=manifests/);
    }
    expect(stage.manifests!.join('\n')).toMatch(/! -name package\.json -exec rm -rf/);
    expect(indexOf(stage.build!, /^COPY apps apps/)).toBeGreaterThan(indexOf(stage.build!, /^RUN npm ci\b/));
  });

  it('runs node under tini, so SIGTERM reaches it, as a non-root user, with JSON warnings', () => {
    const final = stage.final!;
    expect(final.join('\n')).toMatch(/apt-get install -y --no-install-recommends tini/);
    expect(final).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(final).toContain('USER 1000:1000');
    expect(final.find((l) => l.startsWith('CMD'))).toBe(
      'CMD ["node", "--enable-source-maps", "--no-warnings", "dist/service/main.js"]',
    );
  });

  it('ships the migration and reconcile commands, and the operator CLI as `customer-sync` once apps/cli exists', () => {
    const build = stage.build!.join('\n');
    expect(build).toMatch(/esbuild libs\/db\/src\/cli\/migrate\.ts .*--outfile=dist\/tools\/migrate\.js/);
    expect(build).toMatch(
      /if \[ -f apps\/cli\/src\/main\.ts \]; then npx esbuild apps\/cli\/src\/main\.ts .*--outfile=dist\/cli\/main\.js; fi/,
    );
    expect(stage.final!.join('\n')).toMatch(/\/usr\/local\/bin\/customer-sync/);
  });
});
