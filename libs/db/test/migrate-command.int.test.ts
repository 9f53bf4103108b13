import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { useTestDatabase, waitFor } from '@customer-sync/testing';
import { migrateLatest } from '../src';

const CLI = join(__dirname, '../src/cli/migrate.ts');

describe('migrate wait (the Deployments’ init container)', () => {
  const database = useTestDatabase({ migrated: false });

  it('waits while migrations are pending, exits 0 once the migration job has run, and logs JSON lines in production', async () => {
    // Arrange: the command started against an empty database.
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'wait'], {
      env: { NODE_ENV: 'production', DATABASE_URL: database.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitFor(() => output.includes('waiting for migrations'), { what: 'the first wait line', timeoutMs: 30_000 });
    expect(child.exitCode).toBeNull();

    // Act: the migration job runs.
    await migrateLatest(database.db);

    // Assert
    expect(await exited).toBe(0);
    const lines = output.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ service: 'migrate', message: 'schema is current' });
  }, 60_000);
});
