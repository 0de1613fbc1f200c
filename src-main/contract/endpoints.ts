import type { ApiEventName, ApiMethodName } from './api.js';

/**
 * The Api's member names as values, so transports can be built by iteration. The checks below
 * make a name missing from these lists a compile error (GitButler's endpoint table).
 */
export const apiMethodNames = ['getDashboard', 'getQueues', 'getTask', 'getHistory', 'getHistoryInfo', 'listTasks', 'runTaskAction', 'getSettings', 'saveSettings', 'testConnection', 'getAlerts', 'acknowledgeAlert', 'snoozeAlert'] as const satisfies readonly ApiMethodName[];
export const apiEventNames = ['onDidChangeDashboard', 'onDidChangeAlerts'] as const satisfies readonly ApiEventName[];

type MissingMethod = Exclude<ApiMethodName, (typeof apiMethodNames)[number]>;
type MissingEvent = Exclude<ApiEventName, (typeof apiEventNames)[number]>;
/** Fails to compile, naming the member, when a method or event is not listed above. */
export const endpointsAreComplete: [MissingMethod, MissingEvent] extends [never, never] ? true : [MissingMethod, MissingEvent] = true;

/** IPC channel of a member: `task-status:` + its contract name (one naming scheme). */
export function ipcChannel(member: ApiMethodName | ApiEventName): string {
  return `task-status:${member}`;
}

/** HTTP route of a method: `POST /api/<method>` with the argument object as JSON body. */
export function httpRoute(method: ApiMethodName): string {
  return `/api/${method}`;
}

/** Server-sent events stream of the web face; each event's name is the contract event name. */
export const httpEventsRoute = '/api/events';
