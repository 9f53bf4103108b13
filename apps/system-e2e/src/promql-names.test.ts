import { exposedNames, metricNamesIn } from './promql-names';

describe('metricNamesIn', () => {
  it.each([
    ['sum by (group, topic) (kafka_consumer_lag) > 1000', ['kafka_consumer_lag']],
    ['histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket[10m]))) > 60', ['x_seconds_bucket']],
    [
      'sum(rate(a_total{reason!="kafka_unavailable"}[5m])) / clamp_min(sum(rate(b_total[5m])), 0.001) > 1e3',
      ['a_total', 'b_total'],
    ],
    ['min_over_time(sum by (group) (lag)[15m:1m]) > 0 and on (group) up == 1', ['lag', 'up']],
  ])('reads the metrics of %s', (expr, names) => {
    expect(metricNamesIn(expr).sort()).toEqual([...names].sort());
  });
});

describe('exposedNames', () => {
  it('adds the series of a histogram', () => {
    const page = '# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 0\n# TYPE c_total counter\n';
    expect([...exposedNames(page)].sort()).toEqual(['c_total', 'h', 'h_bucket', 'h_count', 'h_sum']);
  });
});
