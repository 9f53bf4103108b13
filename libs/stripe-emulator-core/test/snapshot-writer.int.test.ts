import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createLogger } from '@customer-sync/logger';
import { emptyState, loadState, SnapshotWriter, type EmulatorState } from '../src';

const logger = createLogger({ service: 'emulator', silent: true });
const tempFile = () => `${mkdtempSync(`${tmpdir()}/snapshot-`)}/state.json`;

describe('SnapshotWriter', () => {
  it('writes in the background: a change returns before the file is written', async () => {
    const file = tempFile();
    const state: EmulatorState = emptyState();
    const writer = new SnapshotWriter(file, () => state, logger, 20);

    state.deletedIds.push('cus_1');
    writer.schedule();
    expect(existsSync(file)).toBe(false);

    await writer.flush();
    expect(loadState(file).deletedIds).toEqual(['cus_1']);
  });

  it('coalesces many changes into a few writes, and the last write holds the last state', async () => {
    const file = tempFile();
    const state: EmulatorState = emptyState();
    const writer = new SnapshotWriter(file, () => state, logger, 20);

    for (let i = 0; i < 500; i++) {
      state.deletedIds.push(`cus_${i}`);
      writer.schedule();
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await writer.flush();

    expect(writer.writes).toBeLessThanOrEqual(5);
    expect(JSON.parse(readFileSync(file, 'utf8')).deletedIds).toHaveLength(500);
  });

  it('flush with nothing changed writes nothing', async () => {
    const writer = new SnapshotWriter(tempFile(), () => emptyState(), logger, 20);
    await writer.flush();
    expect(writer.writes).toBe(0);
  });
});
