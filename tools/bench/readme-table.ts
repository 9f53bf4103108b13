// `npm run bench:table`: prints the README's benchmark table from bench/results/*.json, so the table
// always shows the committed figures (headline first with its ratio, then the other metrics).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const ORDER = ['ingress', 'drain', 'api', 'worker', 'webhook-to-row', 'end-to-end', 'memory'];

interface Result {
  benchmark: string;
  headline: string;
  medians: { system: Record<string, number>; baseline: Record<string, number> };
  ratio: number;
  targets: { label: string; met: boolean }[];
  options: { scale: number };
}

const number = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** One markdown row per metric of each result; the headline row carries the ratio, targets and verdict. */
export function readmeRows(results: Result[]): string[] {
  const rows = ['| benchmark | figure | system | baseline | ratio | target | met |', '|---|---|---|---|---|---|---|'];
  for (const r of results) {
    const metrics = [r.headline, ...Object.keys(r.medians.system).filter((m) => m !== r.headline)];
    metrics.forEach((metric, i) => {
      const first = i === 0;
      const targets = first ? r.targets.map((t) => t.label).join('; ') : '';
      const missed = r.targets.filter((t) => !t.met).map((t) => t.label);
      const met = first ? (missed.length ? `no: ${missed.join('; ')}` : 'yes') : '';
      const cells = [
        first ? r.benchmark : '',
        metric,
        number(r.medians.system[metric]),
        number(r.medians.baseline[metric]),
      ];
      rows.push(`| ${[...cells, first ? number(r.ratio) : '', targets, met].join(' | ')} |`);
    });
  }
  return rows;
}

const dir = join(__dirname, '..', '..', 'bench', 'results');
const results = ORDER.map((name) => join(dir, `${name}.json`))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')) as Result);
console.log(readmeRows(results).join('\n'));
