import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The ids of action runs already dispatched (incident start, end, each reminder), so that the
 * same run never happens twice, not even after a restart that replays a decision. An id is
 * written before the action runs: at most once, never twice (a crash mid-run loses that run
 * rather than repeating a scale-up hook).
 */
export interface ActionLedger {
  has(dispatchId: string): boolean;
  add(dispatchId: string, at: number): void;
}

/** Kept this long, and at most this many: far longer than any incident a restart could replay. */
export const ledgerKeepMs = 30 * 24 * 3_600_000;
export const ledgerMaxEntries = 10_000;

export class MemoryActionLedger implements ActionLedger {
  protected readonly entries = new Map<string, number>();
  has(dispatchId: string): boolean {
    return this.entries.has(dispatchId);
  }
  add(dispatchId: string, at: number): void {
    this.entries.set(dispatchId, at);
    for (const [id, when] of this.entries) {
      if (this.entries.size <= ledgerMaxEntries && when > at - ledgerKeepMs) break;
      this.entries.delete(id);
    }
  }
}

/**
 * A ledger in a JSON file (`{"<dispatch id>": <epoch ms>, …}`), rewritten whole through a
 * temporary file and a rename on every add, so a crash leaves the old or the new file, never
 * half of one. Adds are rare (one per action per incident edge), so synchronous writes are fine.
 * An unreadable file starts an empty ledger (reported through `warn`), never a crash.
 */
export class FileActionLedger extends MemoryActionLedger {
  constructor(readonly path: string, warn: (message: string) => void = () => {}) {
    super();
    let text: string | null = null;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`action ledger ${path}: ${(error as Error).message}`);
    }
    if (text === null) return;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      const sorted = Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number').sort((a, b) => a[1] - b[1]);
      for (const [id, at] of sorted) this.entries.set(id, at);
    } catch (error) {
      warn(`action ledger ${path}: unreadable (${(error as Error).message}); starting empty`);
    }
  }

  override add(dispatchId: string, at: number): void {
    super.add(dispatchId, at);
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.entries)));
    renameSync(temporary, this.path);
  }
}
