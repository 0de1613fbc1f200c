import type Database from 'better-sqlite3';
import { connectionHistoryFigures, queueHistoryFigures, type HistoryFigure, type HistoryResolution } from '../../contract/history.js';
import { figureAggregate } from '../../core/history/historyFigures.js';
import { hourMs, minuteMs } from '../../core/history/historyPlan.js';

/**
 * The history file's layout (see sqliteHistoryStore.ts for what each table holds) and every
 * statement the store runs. Column names are the contract's figure names, so a figure added to
 * contract/history.ts gets its column in a new file (an existing file needs a schema step).
 */
export const schemaVersion = 1;

export type Kind = 'queue' | 'conn';
export const kindFigures: Record<Kind, readonly HistoryFigure[]> = { queue: queueHistoryFigures, conn: connectionHistoryFigures };
/** Averaged figures carry a sample count in the rollups, so averages of averages stay exact. */
export const averaged = (f: HistoryFigure) => figureAggregate[f] === 'avg';
export const col = (f: HistoryFigure) => `"${f}"`;
export const countCol = (f: HistoryFigure) => `"${f}_n"`;
export const tableOf = (kind: Kind, resolution: HistoryResolution) => `${kind}_${resolution}`;

/** Creates the tables of a new file; refuses a file written by a newer schema. */
export function createHistorySchema(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
  const stored = db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").pluck().get() as string | undefined;
  const version = stored === undefined ? null : Number(JSON.parse(stored));
  if (version !== null && version > schemaVersion) {
    throw new Error(`the history file was written by a newer task-status (schema ${version}; this one reads ${schemaVersion})`);
  }
  const ddl: string[] = [
    `CREATE TABLE IF NOT EXISTS subject (id INTEGER PRIMARY KEY, connection TEXT NOT NULL, framework TEXT NOT NULL,
      namespace TEXT NOT NULL, queue TEXT NOT NULL, UNIQUE (connection, queue, framework, namespace))`,
    `CREATE TABLE IF NOT EXISTS task_details (connection TEXT NOT NULL, framework TEXT NOT NULL, id TEXT NOT NULL,
      failed INTEGER NOT NULL, seen_at INTEGER NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (connection, framework, id)) WITHOUT ROWID`,
    'CREATE INDEX IF NOT EXISTS task_details_by_id ON task_details (id)',
    'CREATE INDEX IF NOT EXISTS task_details_by_age ON task_details (failed, seen_at)',
  ];
  for (const kind of ['queue', 'conn'] as const) {
    const figures = kindFigures[kind];
    ddl.push(`CREATE TABLE IF NOT EXISTS ${tableOf(kind, 'raw')} (subject INTEGER NOT NULL, at INTEGER NOT NULL,
      ${figures.map((f) => `${col(f)} REAL`).join(', ')}, PRIMARY KEY (subject, at)) WITHOUT ROWID`);
    for (const resolution of ['1m', '1h'] as const) {
      ddl.push(`CREATE TABLE IF NOT EXISTS ${tableOf(kind, resolution)} (subject INTEGER NOT NULL, at INTEGER NOT NULL,
        ${figures.map((f) => `${col(f)} REAL${averaged(f) ? `, ${countCol(f)} INTEGER` : ''}`).join(', ')},
        PRIMARY KEY (subject, at)) WITHOUT ROWID`);
    }
  }
  db.transaction(() => {
    for (const statement of ddl) db.exec(statement);
    if (version === null) db.prepare("INSERT INTO meta (key, value) VALUES ('schemaVersion', ?)").run(JSON.stringify(schemaVersion));
  })();
}

/** Every statement a poll, its maintenance or a query runs, prepared once. */
export function prepareHistoryStatements(db: Database.Database) {
  const insertRaw = (kind: Kind) => {
    const figures = kindFigures[kind];
    return db.prepare(`INSERT OR REPLACE INTO ${tableOf(kind, 'raw')} (subject, at, ${figures.map(col).join(', ')})
      VALUES (?, ?, ${figures.map(() => '?').join(', ')})`);
  };
  // Every subject, each one index range (IN on the key's first column), in one statement.
  const prune = (kind: Kind, resolution: HistoryResolution) => db.prepare(`DELETE FROM ${tableOf(kind, resolution)} WHERE subject IN (SELECT id FROM subject) AND at < ?`);
  const rollup = (kind: Kind, source: 'raw' | '1m', target: '1m' | '1h') => {
    const width = target === '1m' ? minuteMs : hourMs;
    const names: string[] = [];
    const aggregates: string[] = [];
    for (const f of kindFigures[kind]) {
      const aggregate = figureAggregate[f];
      if (aggregate !== 'avg') {
        names.push(col(f));
        aggregates.push(`${aggregate}(t.${col(f)})`);
      } else if (source === 'raw') {
        names.push(col(f), countCol(f));
        aggregates.push(`avg(t.${col(f)})`, `count(t.${col(f)})`);
      } else {
        names.push(col(f), countCol(f));
        aggregates.push(`sum(t.${col(f)} * t.${countCol(f)}) * 1.0 / sum(t.${countCol(f)})`, `coalesce(sum(t.${countCol(f)}), 0)`);
      }
    }
    // CROSS JOIN keeps subject as the outer loop, so each subject's rows are read by its key range.
    return db.prepare(`INSERT OR REPLACE INTO ${tableOf(kind, target)} (subject, at, ${names.join(', ')})
      SELECT t.subject, (t.at / ${width}) * ${width}, ${aggregates.join(', ')}
      FROM subject s CROSS JOIN ${tableOf(kind, source)} t ON t.subject = s.id
      WHERE t.at >= ? AND t.at < ? GROUP BY t.subject, t.at / ${width}`);
  };
  const oldest = (kind: Kind, resolution: HistoryResolution) => db.prepare(
    `SELECT min((SELECT at FROM ${tableOf(kind, resolution)} t WHERE t.subject = s.id ORDER BY at LIMIT 1)) FROM subject s`).pluck();
  return {
    subjectId: db.prepare('SELECT id FROM subject WHERE connection = ? AND framework = ? AND namespace = ? AND queue = ?').pluck(),
    insertSubject: db.prepare('INSERT OR IGNORE INTO subject (connection, framework, namespace, queue) VALUES (?, ?, ?, ?)'),
    rollup: {
      queue: { '1m': rollup('queue', 'raw', '1m'), '1h': rollup('queue', '1m', '1h') },
      conn: { '1m': rollup('conn', 'raw', '1m'), '1h': rollup('conn', '1m', '1h') },
    },
    insertRaw: { queue: insertRaw('queue'), conn: insertRaw('conn') },
    prune: {
      queue: { raw: prune('queue', 'raw'), '1m': prune('queue', '1m'), '1h': prune('queue', '1h') },
      conn: { raw: prune('conn', 'raw'), '1m': prune('conn', '1m'), '1h': prune('conn', '1h') },
    },
    oldest: {
      queue: { raw: oldest('queue', 'raw'), '1m': oldest('queue', '1m'), '1h': oldest('queue', '1h') },
      conn: { raw: oldest('conn', 'raw'), '1m': oldest('conn', '1m'), '1h': oldest('conn', '1h') },
    },
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    insertTask: db.prepare('INSERT OR REPLACE INTO task_details (connection, framework, id, failed, seen_at, detail) VALUES (?, ?, ?, ?, ?, ?)'),
    tasksById: db.prepare('SELECT connection, framework, detail FROM task_details WHERE id = ? ORDER BY seen_at DESC'),
    pruneTasks: db.prepare('DELETE FROM task_details WHERE failed = ? AND seen_at < ?'),
    capTasks: db.prepare(`DELETE FROM task_details WHERE failed = ? AND seen_at <
      (SELECT seen_at FROM task_details WHERE failed = ? ORDER BY seen_at DESC LIMIT 1 OFFSET ?)`),
  };
}

export type HistoryStatements = ReturnType<typeof prepareHistoryStatements>;
