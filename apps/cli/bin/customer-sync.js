#!/usr/bin/env node
// `customer-sync`, the operator's CLI. In a checkout the TypeScript sources run through tsx; an image
// without sources runs the bundle (`npm run build` writes dist/apps/cli/main.js).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const sources = join(__dirname, '../src/main.ts');
if (existsSync(sources)) {
  require('tsx/cjs');
  require(sources);
} else {
  require(join(__dirname, '../../../dist/apps/cli/main.js'));
}
