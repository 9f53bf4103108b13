// One runner, three projects: `unit` (pure logic, no I/O), `integration` (one service or lib against
// real PostgreSQL and Kafka), `e2e` (several services as separate processes).
const { readFileSync } = require('node:fs');

const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: { '^@customer-sync/(.*)$': '<rootDir>/libs/$1/src/index.ts' },
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/deploy', '<rootDir>/tools'],
};

module.exports = {
  testTimeout: 60_000,
  // kafkajs keeps a connection attempt running after disconnect() until it ends; without this a run
  // whose tests all finished can wait on it. Every test file still stops what it started.
  forceExit: true,
  globalSetup: '<rootDir>/tools/jest/global-setup.ts',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '\\.e2e\\.test\\.ts$', '/node_modules/'],
    },
    { ...common, displayName: 'integration', testMatch: ['**/*.int.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e.test.ts'] },
  ],
};
