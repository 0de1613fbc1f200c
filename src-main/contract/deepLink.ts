import type { Framework } from './figures.js';

/**
 * Deep links (issue 5 item 4): `task-status open queue --name X` (and `open task --id Y`), or the
 * app's own executable with the same arguments, shows that place in the running tray app. The
 * command is parsed once, here, by the CLI and by the app alike; it travels as one JSON line over
 * a local socket in the app's data folder, or as the single-instance lock's additional data.
 */
export type DeepLink =
  | { kind: 'dashboard' }
  | { kind: 'alerts' }
  | { kind: 'settings' }
  | { kind: 'queue'; name: string; framework?: Framework; connection?: string }
  | { kind: 'task'; id: string; framework?: Framework; connection?: string };

const frameworks: readonly string[] = ['celery', 'rq', 'bullmq', 'sidekiq', 'rabbitmq'];
const places = ['dashboard', 'alerts', 'settings', 'queue', 'task'] as const;

export type DeepLinkParse = { link: DeepLink } | { link: null; problem: string | null };

/**
 * The place named by command-line arguments: `[open] queue --name X [--framework F] [--connection C]`,
 * `[open] task --id Y …`, `[open] dashboard|alerts|settings`. Flags may be `--flag value` or
 * `--flag=value`; flags it does not know (Chromium's, `--hidden`) are skipped. `problem` is `null`
 * when the arguments name no place at all (a plain start), else what is wrong.
 */
export function parseDeepLinkArgs(args: readonly string[]): DeepLinkParse {
  const words: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) { words.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq));
    if (!['name', 'id', 'framework', 'connection'].includes(name)) continue;
    const value = eq < 0 ? args[i + 1] : arg.slice(eq + 1);
    if (eq < 0) i++;
    if (value === undefined || value === '') return { link: null, problem: `--${name} needs a value` };
    flags.set(name, value);
  }
  if (words[0] === 'open') words.shift();
  const place = words[0];
  if (place === undefined) return { link: null, problem: flags.size ? 'name a place: queue, task, dashboard, alerts or settings' : null };
  if (!(places as readonly string[]).includes(place)) return { link: null, problem: `unknown place "${place}": queue, task, dashboard, alerts or settings` };
  const framework = flags.get('framework');
  if (framework !== undefined && !frameworks.includes(framework)) return { link: null, problem: `--framework ${framework}: one of ${frameworks.join(', ')}` };
  const scope = {
    ...(framework ? { framework: framework as Framework } : {}),
    ...(flags.has('connection') ? { connection: flags.get('connection')! } : {}),
  };
  if (place === 'queue') {
    const name = flags.get('name');
    return name ? { link: { kind: 'queue', name, ...scope } } : { link: null, problem: 'open queue needs --name' };
  }
  if (place === 'task') {
    const id = flags.get('id');
    return id ? { link: { kind: 'task', id, ...scope } } : { link: null, problem: 'open task needs --id' };
  }
  return { link: { kind: place as 'dashboard' | 'alerts' | 'settings' } };
}

/** The arguments that name a link again (to start the app with them). */
export function deepLinkArgs(link: DeepLink): string[] {
  const scope = (l: { framework?: Framework; connection?: string }) => [
    ...(l.framework ? ['--framework', l.framework] : []), ...(l.connection ? ['--connection', l.connection] : []),
  ];
  if (link.kind === 'queue') return ['open', 'queue', '--name', link.name, ...scope(link)];
  if (link.kind === 'task') return ['open', 'task', '--id', link.id, ...scope(link)];
  return ['open', link.kind];
}

/** A queue the monitor knows, to complete a link that names only the queue. */
export interface KnownQueue {
  connection: string;
  framework: Framework;
  queue: string;
}

/**
 * The renderer's hash route for a link (src-renderer/lib/route/route.ts). A queue link without
 * connection or framework goes to the first queue of that name the monitor knows; when none
 * matches, the dashboard.
 */
export function deepLinkHash(link: DeepLink, known: readonly KnownQueue[]): string {
  switch (link.kind) {
    case 'dashboard': return '#/';
    case 'alerts': case 'settings': return `#/${link.kind}`;
    case 'task': return `#/task/${encodeURIComponent(link.id)}`;
    case 'queue': {
      const match = known.find((q) => q.queue === link.name && (!link.framework || q.framework === link.framework)
        && (!link.connection || q.connection === link.connection));
      const connection = link.connection ?? match?.connection;
      const framework = link.framework ?? match?.framework;
      if (!connection || !framework) return '#/';
      return `#/queue/${[connection, framework, link.name].map(encodeURIComponent).join('/')}`;
    }
  }
}

/** One line on the hand-off socket. */
export function encodeHandOff(link: DeepLink): string {
  return `${JSON.stringify({ open: link })}\n`;
}

/** The link in a hand-off line; `null` for anything else (the socket is local, but still validated). */
export function decodeHandOff(line: string): DeepLink | null {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return null;
  }
  const open = (message as { open?: unknown } | null)?.open;
  if (typeof open !== 'object' || open === null) return null;
  const { link } = parseDeepLinkArgs(deepLinkArgsOf(open as Record<string, unknown>));
  return link;
}

function deepLinkArgsOf(o: Record<string, unknown>): string[] {
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 1024 ? v : null);
  const kind = text(o.kind);
  if (!kind) return [];
  const out = ['open', kind];
  for (const key of ['name', 'id', 'framework', 'connection'] as const) {
    const v = text(o[key]);
    if (v !== null) out.push(`--${key}=${v}`);
  }
  return out;
}

/**
 * Where the running app listens: a Unix socket `open.sock` in its data folder (the folder of
 * config.json), or on Windows a named pipe per user (pipes live in their own namespace).
 */
export function handOffSocketPath(platform: string, dataDir: string, user: string): string {
  if (platform === 'win32') return `\\\\.\\pipe\\task-status-${user.replace(/[^A-Za-z0-9_.-]/g, '_')}-open`;
  return `${dataDir.replace(/\/+$/, '')}/open.sock`;
}
