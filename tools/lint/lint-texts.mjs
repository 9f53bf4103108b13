// Lints source texts as if they were files at the given paths, without writing them, so a test can
// show what the lint rules refuse. Nx's project graph is rebuilt first: the boundary rule reads the
// cached one and, without it, skips silently.
// stdin: [{ "filePath": "libs/x/src/probe.ts", "code": "…" }]
// stdout, last line: [{ "filePath": …, "messages": [{ "ruleId": …, "message": … }] }]
import { readFileSync } from 'node:fs';
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';

const probes = JSON.parse(readFileSync(0, 'utf8'));
await createProjectGraphAsync({ exitOnError: true });
const eslint = new ESLint({ cwd: process.cwd() });
const results = [];
for (const { filePath, code } of probes) {
  const [result] = await eslint.lintText(code, { filePath });
  results.push({ filePath, messages: result.messages.map(({ ruleId, message }) => ({ ruleId, message })) });
}
process.stdout.write(`\n${JSON.stringify(results)}\n`);
