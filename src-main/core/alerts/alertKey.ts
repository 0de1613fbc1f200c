/**
 * An alert's identity: its rule and labels, written as Prometheus writes a series
 * (`backlog{connection="prod",queue="default"}`), labels sorted so the key never depends on
 * the order they were set in. Stable across polls, restarts and config reloads.
 */
export function alertKey(ruleId: string, labels: Record<string, string>): string {
  const inner = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',');
  return `${ruleId}{${inner}}`;
}
