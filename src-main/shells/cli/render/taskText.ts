import type { TaskDetail, Undecodable } from '../../../contract/task.js';
import { formatTime, printable, unknownMark } from '../format.js';

function isUndecodable(v: unknown): v is Undecodable {
  return typeof v === 'object' && v !== null && (v as Undecodable).undecodable === true;
}

/** A value from the broker, shown as JSON, or why it is not shown. */
function showValue(v: unknown): string {
  if (v === null || v === undefined) return unknownMark;
  if (isUndecodable(v)) return `undecodable ${v.encoding} (${v.bytes} bytes): ${v.reason}`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The human task view: every field of TaskDetail, times local with zone. */
export function renderTask(t: TaskDetail): string {
  const rows: [string, string][] = [
    ['id', t.id], ['framework', t.framework], ['connection', t.connection], ['queue', t.queue ?? unknownMark],
    ['state', t.state], ['name', t.name ?? unknownMark], ['description', t.description ?? unknownMark],
    ['args', showValue(t.args)], ['kwargs', showValue(t.kwargs)],
    ['enqueued', formatTime(t.enqueuedAt)], ['started', formatTime(t.startedAt)], ['finished', formatTime(t.finishedAt)],
    ['worker', t.worker ?? unknownMark], ['retries', t.retries === null ? unknownMark : String(t.retries)],
    ['result', showValue(t.result)],
  ];
  if (t.error) {
    rows.push(['error', `${t.error.type ?? unknownMark}: ${t.error.message ?? ''}`]);
  }
  rows.push(['sources', t.sources.join(', ') || unknownMark]);
  const text = rows.map(([k, v]) => `${k.padEnd(12)} ${printable(v)}`).join('\n');
  const traceback = t.error?.traceback ? `\n\ntraceback:\n${printable(t.error.traceback)}` : '';
  return text + traceback;
}
