import { createLogger } from '@customer-sync/logger';
import { startInBackground } from './background-start';

const logger = createLogger({ service: 'test', silent: true });
const fast = { logger, backoff: { baseMs: 1, maxMs: 5 } };

describe('startInBackground', () => {
  it('retries a failing start until it succeeds, and stop() stops what it produced', async () => {
    let attempts = 0;
    const stopped: string[] = [];
    const start = startInBackground(
      'thing',
      async () => {
        if (++attempts < 3) throw new Error('broker down');
        return { stop: async () => void stopped.push('thing') };
      },
      fast,
    );
    expect(start.current()).toBeUndefined();

    await start.started;
    expect(attempts).toBe(3);
    expect(start.current()).toBeDefined();
    await start.stop();
    expect(stopped).toEqual(['thing']);
  });

  it('when stopped while still failing, gives up and never starts', async () => {
    let attempts = 0;
    const start = startInBackground(
      'thing',
      async () => {
        attempts++;
        throw new Error('broker down');
      },
      { logger, backoff: { baseMs: 20, maxMs: 20 } },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await start.stop();
    const after = attempts;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(attempts).toBe(after);
    expect(start.current()).toBeUndefined();
  });

  it('stops a start that succeeds only after stop() was called', async () => {
    let release: () => void = () => undefined;
    const stopped: string[] = [];
    const start = startInBackground(
      'thing',
      () =>
        new Promise<{ stop(): Promise<void> }>(
          (resolve) => (release = () => resolve({ stop: async () => void stopped.push('late') })),
        ),
      fast,
    );
    await start.stop();
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stopped).toEqual(['late']);
    expect(start.current()).toBeUndefined();
  });
});

describe('startInBackground with a permanent failure', () => {
  it('gives up at once and reports the failure instead of retrying', async () => {
    let attempts = 0;
    const fatal: unknown[] = [];
    const refused = new Error('SASL authentication failed');
    startInBackground(
      'thing',
      async () => {
        attempts++;
        throw refused;
      },
      { ...fast, isPermanent: (error) => error === refused, onPermanent: (error) => void fatal.push(error) },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(1);
    expect(fatal).toEqual([refused]);
  });
});
