import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lets a burst through at once, then paces the rest at the rate', async () => {
    let clock = 0;
    const limiter = new RateLimiter(10, 2, () => clock);
    const started: number[] = [];
    for (let i = 0; i < 5; i++) void limiter.acquire().then(() => started.push(clock));
    await Promise.resolve();
    expect(started).toEqual([0, 0]);
    for (let step = 0; step < 3; step++) {
      clock += 100;
      jest.advanceTimersByTime(100);
      await Promise.resolve();
    }
    expect(started).toEqual([0, 0, 100, 200, 300]);
  });
});
