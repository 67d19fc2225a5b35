import { describe, expect, it } from 'vitest';

import { labelValuesMetric, metricNames } from './promql.js';

describe('metricNames', () => {
  it.each([
    ['up', ['up']],
    ['sum by (job, webhook) (rate(a_total{result="error", x=~"b|c"}[5m])) / sum by (job) (rate(a_total[5m])) > 0.01', ['a_total']],
    ['histogram_quantile(0.99, sum by (le) (rate(d_seconds_bucket{job=~"$job"}[$__rate_interval])))', ['d_seconds_bucket']],
    ['max without (pod) (g) and on (job) h offset 1h unless i == bool 1e3', ['g', 'h', 'i']],
    ['rate(process_cpu_seconds_total{job=~"$job"}[5m]) * 100', ['process_cpu_seconds_total']],
    ['count(sum by (x) (j{label="by (y) z"}))', ['j']],
  ])('%s', (expression, names) => {
    expect(metricNames(expression)).toEqual(names);
  });
});

describe('labelValuesMetric', () => {
  it('reads the metric of label_values(metric, label)', () => {
    expect(labelValuesMetric('label_values(credinject_index_size, job)')).toBe('credinject_index_size');
    expect(labelValuesMetric('query_result(up)')).toBeUndefined();
  });
});
