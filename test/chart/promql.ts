/**
 * The metric names a PromQL expression selects (enough PromQL for rules and dashboards: vector
 * selectors, functions, aggregations with by/without, binary operators, offsets). Label matchers,
 * ranges, strings, label lists, keywords, numbers, durations and Grafana variables are not names.
 */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

export function metricNames(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = stripped[match.index - 1] ?? ' ';
    if (/[0-9.$]/.test(before)) continue; // 1e3, 5m, $job
    if (stripped.slice(match.index + match[0].length).trimStart().startsWith('(')) continue; // a function
    if (KEYWORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

/** The metric of a Grafana `label_values(metric, label)` variable query. */
export function labelValuesMetric(query: string): string | undefined {
  return /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(query.trim())?.[1];
}
