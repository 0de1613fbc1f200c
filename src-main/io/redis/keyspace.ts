/**
 * The databases INFO keyspace lists (those holding at least one key), ascending, each once: on a
 * Redis Cluster the reply joins every master's keyspace section, each naming db0.
 */
export function databasesFromInfo(info: string): number[] {
  const dbs = new Set<number>();
  for (const line of info.split(/\r?\n/)) {
    const m = /^db(\d+):keys=(\d+)/.exec(line);
    if (m && Number(m[2]) > 0) dbs.add(Number(m[1]));
  }
  return [...dbs].sort((a, b) => a - b);
}
