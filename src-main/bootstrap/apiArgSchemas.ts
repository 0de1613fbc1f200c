import { z } from 'zod';
import type { ApiArgs, ApiMethodName } from '../contract/api.js';
import { levels } from '../contract/alerts.js';
import type { Framework } from '../contract/figures.js';
import { connectionHistoryFigures, queueHistoryFigures, type HistoryFigure } from '../contract/history.js';
import { taskActionKinds, taskListStates } from '../contract/taskList.js';

/** Every framework name, checked against the contract's union so a new one cannot be missed. */
const frameworks = ['celery', 'rq', 'bullmq', 'sidekiq', 'rabbitmq'] as const satisfies readonly Framework[];
type MissingFramework = Exclude<Framework, (typeof frameworks)[number]>;
export const frameworksAreComplete: [MissingFramework] extends [never] ? true : MissingFramework = true;

const text = z.string().min(1).max(1024);
const framework = z.enum(frameworks);
const epochMs = z.number().int().min(0).max(8.64e15);

const frameworkSettings = z.strictObject({
  enabled: z.boolean().optional(), keyPrefix: z.string().max(256).optional(), resultBackend: z.string().max(2048).optional(),
  resultKeyPrefix: z.string().max(256).optional(), queues: z.array(text).max(1000).optional(), events: z.boolean().optional(),
});
const connectionEdit = z.strictObject({
  id: text.optional(), kind: z.enum(['redis', 'rabbitmq']), url: z.string().min(1).max(2048),
  password: z.string().max(1024).optional(), clearPassword: z.boolean().optional(), passwordEnv: text.optional(),
  frameworks: z.partialRecord(framework, frameworkSettings).optional(),
  tls: z.strictObject({ caFile: z.string().max(4096).optional(), insecure: z.boolean().optional() }).optional(),
});

/**
 * The argument object of each Api method, validated by every transport (HTTP routes, IPC
 * handlers) before it reaches the Api: one table for both shells. Keyed by the
 * contract's method names, so a method without a schema (or a schema that does not produce the
 * method's argument type) fails to compile. Unknown keys are refused rather than ignored.
 */
export const argSchemas: { [M in ApiMethodName]: z.ZodType<ApiArgs<M>> } = {
  getDashboard: z.strictObject({ connection: text.optional() }),
  getQueues: z.strictObject({ name: text, framework: framework.optional(), connection: text.optional() }),
  getTask: z.strictObject({ id: text, framework: framework.optional(), connection: text.optional() }),
  getHistory: z.strictObject({
    connection: text, framework: framework.optional(), namespace: text.optional(), queue: text.optional(),
    figures: z.array(z.enum([...new Set([...queueHistoryFigures, ...connectionHistoryFigures])] as [HistoryFigure, ...HistoryFigure[]])).min(1).max(40),
    fromAt: epochMs, toAt: epochMs, maxPoints: z.number().int().min(2).max(5000).optional(),
  }),
  getHistoryInfo: z.strictObject({}),
  listTasks: z.strictObject({
    connection: text, framework, queue: text, namespace: text.optional(), state: z.enum(taskListStates),
    offset: z.number().int().min(0).max(1_000_000_000).optional(), limit: z.number().int().min(1).max(500).optional(),
    search: z.string().max(200).optional(),
  }),
  getAlerts: z.strictObject({ includeResolved: z.boolean().optional(), connection: text.optional() }),
  acknowledgeAlert: z.strictObject({ key: text }),
  snoozeAlert: z.strictObject({ key: text.optional(), ruleId: text.optional(), until: epochMs.optional(), forMs: z.number().int().min(1000).max(366 * 86_400_000).optional() }),
  getSettings: z.strictObject({}),
  saveSettings: z.strictObject({
    connections: z.array(connectionEdit).max(100).optional(), readOnly: z.boolean().optional(), pollInterval: text.optional(),
    // Shapes only: the values are checked by the config file's own schemas, field by field (SettingsSaved.errors).
    rules: z.array(z.strictObject({
      id: text, enabled: z.boolean().optional(), level: z.enum(levels).optional(),
      value: z.union([z.number(), z.string().max(64)]).optional(), for: z.string().max(64).optional(),
    })).max(500).optional(),
    retention: z.strictObject({ raw: z.string().max(64).nullable().optional(), minute: z.string().max(64).nullable().optional(), hour: z.string().max(64).nullable().optional() }).optional(),
    notifications: z.strictObject({ enabled: z.boolean() }).optional(),
  }),
  testConnection: z.strictObject({ connection: connectionEdit }),
  runTaskAction: z.strictObject({
    connection: text, framework, queue: text, namespace: text.optional(), action: z.enum(taskActionKinds),
    id: text.optional(), confirm: z.string().max(2100),
  }),
};

/** One line naming each invalid argument, for a BAD_USAGE error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ');
}
