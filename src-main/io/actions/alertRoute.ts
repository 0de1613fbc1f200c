/**
 * Where in the window an alert is looked at, as the renderer's hash routes
 * (src-renderer/lib/route/route.ts, whose `parseRoute` reads these back): a task alert opens the
 * task, a queue alert the queue, anything else (a connection, a worker) the dashboard.
 */
export function alertRouteOf(labels: Readonly<Record<string, string>>): string {
  if (labels.task) return `#/task/${encodeURIComponent(labels.task)}`;
  const { connection, framework, queue } = labels;
  if (connection && framework && queue) return `#/queue/${[connection, framework, queue].map(encodeURIComponent).join('/')}`;
  return '#/';
}
