import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '@customer-sync/logger';
import type { EmulatorState } from './emulator-state';

/**
 * Saves the emulator's state to its snapshot file in the background: a change only marks the state
 * dirty, and one write at most every `delayMs` takes every change made since. Each write is atomic
 * (temp file + rename), so a crash never leaves half a snapshot, only an older one.
 */
export class SnapshotWriter {
  /** Files written so far (for tests and logs). */
  writes = 0;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly state: () => EmulatorState,
    private readonly logger: Logger,
    private readonly delayMs = 200,
  ) {}

  /** Notes a change; the write happens later, coalesced with the changes that follow. */
  schedule(): void {
    this.dirty = true;
    if (!this.timer && !this.running) this.timer = setTimeout(() => void this.writeNow(), this.delayMs);
  }

  /** Writes what is pending now and waits for it (at stop). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    if (this.dirty) await this.writeNow();
  }

  private writeNow(): Promise<void> {
    this.timer = undefined;
    this.dirty = false;
    const text = JSON.stringify(this.state());
    this.running = writeFile(`${this.file}.tmp`, text)
      .then(() => rename(`${this.file}.tmp`, this.file))
      .then(() => void this.writes++)
      .catch((error: unknown) => {
        // The state stays in memory; the next change tries again.
        this.dirty = true;
        this.logger.error('emulator snapshot not written', { file: this.file, error });
      })
      .finally(() => {
        this.running = undefined;
        if (this.dirty) this.schedule();
      });
    return this.running;
  }
}
