/**
 * The renderer's places, as hash routes so they work from a file, a custom protocol (the tray
 * app's window) and the web face alike:
 *   #/                                      the dashboard
 *   #/queue/<connection>/<framework>/<name>  one queue
 *   #/task/<id>  (or #/task for the empty form)  one task
 *   #/alerts                                firing alerts, their history, acknowledge and snooze
 *   #/settings                              connections, rules, retention, read-only switch
 */
export type Route =
  | { kind: 'dashboard' }
  | { kind: 'queue'; connection: string; framework: string; name: string }
  | { kind: 'task'; id: string | null }
  | { kind: 'alerts' }
  | { kind: 'settings' }
  | { kind: 'notFound'; hash: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path === '') return { kind: 'dashboard' };
  const parts = path.split('/').map(decodeSegment);
  if (parts.includes(null)) return { kind: 'notFound', hash };
  const [head, ...rest] = parts as string[];
  if (head === 'queue' && rest.length === 3 && rest.every((part) => part !== '')) {
    const [connection, framework, name] = rest as [string, string, string];
    return { kind: 'queue', connection, framework, name };
  }
  if ((head === 'alerts' || head === 'settings') && rest.length === 0) return { kind: head };
  if (head === 'task' && rest.length === 0) return { kind: 'task', id: null };
  if (head === 'task' && rest.length === 1) return { kind: 'task', id: rest[0] === '' ? null : rest[0]! };
  return { kind: 'notFound', hash };
}

/** The href of a place; every segment escaped, so names with `/` or `#` survive. */
export function routeHref(route: Exclude<Route, { kind: 'notFound' }>): string {
  switch (route.kind) {
    case 'dashboard':
      return '#/';
    case 'queue':
      return `#/queue/${[route.connection, route.framework, route.name].map(encodeURIComponent).join('/')}`;
    case 'task':
      return route.id === null ? '#/task' : `#/task/${encodeURIComponent(route.id)}`;
    case 'alerts':
    case 'settings':
      return `#/${route.kind}`;
  }
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
