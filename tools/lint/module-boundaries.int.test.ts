import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const RULE = '@nx/enforce-module-boundaries';

interface Probe {
  filePath: string;
  code: string;
}

/** One import of `module`, used, so that no other rule has anything to say about the file. */
const importing = (module: string, name: string) =>
  `import { ${name} } from '${module}';\nexport const probe = ${name};\n`;

const OUTBOX = importing('@customer-sync/customer-api-data', 'addToOutbox');
const TEST_HELPERS = importing('@customer-sync/testing', 'waitFor');
const EMULATOR = importing('@customer-sync/stripe-emulator-core', 'startTestEmulator');
const WRITER_STORE = importing('@customer-sync/customer-writer-data', 'recordProcessed');

const refused: [string, Probe][] = [
  ['the writer domain lib imports the outbox store', { filePath: 'libs/customer-writer/src/probe.ts', code: OUTBOX }],
  [
    'the writer data-access lib imports the outbox store',
    { filePath: 'libs/customer-writer-data/src/probe.ts', code: OUTBOX },
  ],
  ['db-writer imports the outbox store', { filePath: 'apps/db-writer/src/probe.ts', code: OUTBOX }],
  ['a db-writer test imports the outbox store', { filePath: 'apps/db-writer/test/probe.int.test.ts', code: OUTBOX }],
  ['a domain lib imports the test helpers', { filePath: 'libs/customer-api/src/probe.ts', code: TEST_HELPERS }],
  ['a service imports the test helpers', { filePath: 'apps/api-service/src/probe.ts', code: TEST_HELPERS }],
  ['a shared lib imports the test helpers', { filePath: 'libs/db/src/probe.ts', code: TEST_HELPERS }],
  ['a shared lib test imports the emulator', { filePath: 'libs/db/test/probe.int.test.ts', code: EMULATOR }],
];

const allowed: [string, Probe][] = [
  [
    'the writer domain lib imports its own store',
    { filePath: 'libs/customer-writer/src/probe.ts', code: WRITER_STORE },
  ],
  [
    'a db-writer test imports the test helpers',
    { filePath: 'apps/db-writer/test/probe.int.test.ts', code: TEST_HELPERS },
  ],
  ['a db-writer test starts the emulator', { filePath: 'apps/db-writer/test/probe.int.test.ts', code: EMULATOR }],
  [
    'a unit test beside the code imports the test helpers',
    { filePath: 'libs/customer-api/src/probe.test.ts', code: TEST_HELPERS },
  ],
  ['the e2e app imports the test helpers', { filePath: 'apps/system-e2e/src/probe.ts', code: TEST_HELPERS }],
];

/** Lints every probe in one ESLint process (tools/lint/lint-texts.mjs); returns each one's boundary messages. */
function boundaryMessages(probes: Probe[]): string[][] {
  const out = execFileSync(process.execPath, [join(__dirname, 'lint-texts.mjs')], {
    cwd: root,
    input: JSON.stringify(probes),
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  const results = JSON.parse(out.trim().split('\n').pop()!) as {
    messages: { ruleId: string | null; message: string }[];
  }[];
  return results.map((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`));
}

describe('module boundaries (eslint.config.mjs)', () => {
  let messages: string[][];

  beforeAll(() => {
    messages = boundaryMessages([...refused, ...allowed].map(([, probe]) => probe));
  });

  it.each(refused.map(([what], i) => [what, i] as const))('fail lint when %s', (_what, i) => {
    expect(messages[i]).toEqual([expect.stringContaining(`${RULE}: A project tagged with`)]);
  });

  it.each(allowed.map(([what], i) => [what, refused.length + i] as const))('pass lint when %s', (_what, i) => {
    expect(messages[i]).toEqual([]);
  });
});
