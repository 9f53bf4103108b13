import { median, medians, ratio, secondHalfGrowth, verdicts, type Check } from './stats';

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[5], 5],
    [[], NaN],
    [[NaN, 7, 9], 8],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('per metric, ignores a metric missing from a round', () => {
    expect(medians([{ a: 1, b: 10 }, { a: 3 }, { a: 2, b: 20 }])).toEqual({ a: 2, b: 15 });
  });
});

describe('ratio', () => {
  it('is system over baseline with two decimals', () => {
    expect(ratio(1950, 1700)).toBe(1.15);
  });

  it('when the baseline is 0 or missing, is NaN', () => {
    expect(ratio(10, 0)).toBeNaN();
    expect(ratio(10, NaN)).toBeNaN();
  });
});

describe('verdicts', () => {
  const checks: Check[] = [
    { label: '≥ 8,000 events/s', metric: 'events/s', op: '>=', value: 8000 },
    { label: 'p99 ≤ 60 ms', metric: 'p99 ms', op: '<=', value: 60 },
    { label: 'ratio ≥ 0.5', metric: 'ratio', op: '>=', value: 0.5 },
  ];

  it('meets a bound it equals, on either side', () => {
    const result = verdicts(checks, { 'events/s': 8000, 'p99 ms': 60 }, 0.5);
    expect(result.map((v) => v.met)).toEqual([true, true, true]);
  });

  it('when a value misses its bound, says so with the measured value', () => {
    const [throughput, p99, share] = verdicts(checks, { 'events/s': 7999, 'p99 ms': 61 }, 0.49);
    expect(throughput).toMatchObject({ met: false, measured: 7999 });
    expect(p99).toMatchObject({ met: false, measured: 61 });
    expect(share).toMatchObject({ met: false, measured: 0.49 });
  });

  it('when a metric was not measured, does not meet it', () => {
    expect(verdicts(checks, {}, NaN).every((v) => !v.met)).toBe(true);
  });
});

describe('secondHalfGrowth', () => {
  it('when memory levels off, is near 0', () => {
    expect(secondHalfGrowth([100, 150, 180, 181, 182])).toBe(1.1);
  });

  it('when memory keeps growing, is the growth since half-way in %', () => {
    expect(secondHalfGrowth([100, 120, 140, 160, 210])).toBe(50);
  });

  it('with fewer than two readings, is NaN', () => {
    expect(secondHalfGrowth([100])).toBeNaN();
  });
});
