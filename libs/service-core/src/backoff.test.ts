import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1000 };

  it('doubles the ceiling per attempt', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, options, () => 1))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the maximum', () => {
    expect(backoffDelay(20, options, () => 1)).toBe(1000);
  });

  it('spreads retries with full jitter', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(200);
  });
});
