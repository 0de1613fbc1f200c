/** The databases INFO keyspace lists (those holding at least one key), ascending. */
export function databasesFromInfo(info: string): number[] {
  const dbs: number[] = [];
  for (const line of info.split(/\r?\n/)) {
    const m = /^db(\d+):keys=(\d+)/.exec(line);
    if (m && Number(m[2]) > 0) dbs.push(Number(m[1]));
  }
  return dbs.sort((a, b) => a - b);
}
