/**
 * Which RQ generation wrote a database. Worker hashes carry `version` (RQ writes its own
 * version at birth); without a live worker the layout tells what it can: an intermediate list
 * exists only on 1.15+, and StartedJobRegistry members `<job>:<execution>` only on 2.x.
 */
export interface RqLayout {
  /** Highest RQ version named by a worker hash, e.g. `1.13.0`; `null` when none names one. */
  version: string | null;
  /** Whether this RQ has the intermediate list (1.15+); `null` when it cannot be told. */
  hasIntermediate: boolean | null;
  /** How the answer was reached, for the notes. */
  source: string;
}

/** `1.13.0` → [1, 13, 0]; `null` when not a version. */
export function parseVersion(text: string | null | undefined): number[] | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text?.trim() ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** RQ 2.x StartedJobRegistry member: `<job id>:<execution id>` with a uuid4 hex execution id. */
export const executionMemberPattern = /:[0-9a-f]{32}$/;

export function inferLayout(workerVersions: (string | null)[], intermediateSeen: boolean, executionsSeen: boolean): RqLayout {
  const versions = workerVersions.map((v) => ({ text: v, parsed: parseVersion(v) }))
    .filter((v): v is { text: string; parsed: number[] } => v.parsed !== null)
    .sort((x, y) => compareVersions(y.parsed, x.parsed));
  const newest = versions[0];
  if (newest) {
    return {
      version: newest.text,
      hasIntermediate: compareVersions(newest.parsed, [1, 15, 0]) >= 0,
      source: `RQ ${newest.text}, from the worker hashes`,
    };
  }
  if (intermediateSeen) return { version: null, hasIntermediate: true, source: 'an rq:queue:*:intermediate list exists (RQ 1.15+)' };
  if (executionsSeen) return { version: null, hasIntermediate: true, source: 'started registry members name executions (RQ 2.x)' };
  return { version: null, hasIntermediate: null, source: 'no worker hash names the RQ version and the layout does not tell' };
}
