import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { waitFor } from '@customer-sync/testing';
import { exposedNames, metricNamesIn } from './promql-names';
import { useSystem } from './use-system';

const MONITORING = join(__dirname, '../../../deploy/monitoring');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string };
}

const rules = parse(readFileSync(join(MONITORING, 'prometheus-rules.yaml'), 'utf8')) as {
  groups: { name: string; rules: Rule[] }[];
};
const dashboard = JSON.parse(readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};
const ruleList = rules.groups.flatMap((g) => g.rules);

describe('deploy/monitoring', () => {
  const handle = useSystem();

  it('has alert rules that parse, each with an expression, a severity and a summary', () => {
    expect(ruleList.length).toBeGreaterThanOrEqual(10);
    for (const rule of ruleList) {
      expect(rule).toMatchObject({
        alert: expect.stringMatching(/^CustomerSync\w+$/),
        expr: expect.any(String),
        labels: { severity: expect.stringMatching(/^(info|warning|critical)$/) },
        annotations: { summary: expect.any(String) },
      });
      if (rule.for) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
    expect(new Set(ruleList.map((r) => r.alert)).size).toBe(ruleList.length);
  });

  it('names only metrics that the running services expose on /metrics', async () => {
    const { system } = handle;
    const pages = await Promise.all(
      [system.api, system.worker, system.ingress, system.writer].map(async (s) =>
        (await fetch(`${s.url}/metrics`)).text(),
      ),
    );
    const exposed = new Set(pages.flatMap((page) => [...exposedNames(page)]));
    const named = new Set(
      [...ruleList.map((r) => r.expr), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))].flatMap(
        metricNamesIn,
      ),
    );

    expect(named.size).toBeGreaterThanOrEqual(15);
    expect([...named].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('records both end-to-end latencies when a customer goes out to Stripe and its event comes back', async () => {
    const { system, api } = handle;
    const created = await api.create({ name: 'Metered', email: 'metered@example.com' });
    await waitFor(async () => (await api.get(created.body.id)).body.syncStatus === 'synced', {
      what: 'synced',
      timeoutMs: 30_000,
    });
    const count = (page: string, name: string) =>
      Number(new RegExp(`^${name}_count(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(page)?.[1] ?? 0);
    const page = await waitFor(
      async () => {
        const text = await (await fetch(`${system.writer.url}/metrics`)).text();
        return count(text, 'customer_sync_latency_seconds') >= 1 &&
          count(text, 'stripe_event_apply_latency_seconds') >= 1
          ? text
          : undefined;
      },
      { what: 'latency observations', timeoutMs: 30_000 },
    );
    expect(page).toMatch(/customer_sync_latency_seconds_count\{[^}]*action="create"[^}]*outcome="synced"/);
    expect(page).toMatch(/stripe_event_apply_latency_seconds_count\{[^}]*type="customer.created"/);
  });
});
