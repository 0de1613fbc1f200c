import { z } from 'zod';
import type { ApiArgs, ApiMethodName } from '../../contract/api.js';
import type { Framework } from '../../contract/figures.js';

const frameworks = ['celery', 'rq', 'bullmq', 'sidekiq', 'rabbitmq'] as const satisfies readonly Framework[];
type MissingFramework = Exclude<Framework, (typeof frameworks)[number]>;
export const ipcFrameworksAreComplete: [MissingFramework] extends [never] ? true : MissingFramework = true;

const text = z.string().min(1).max(1024);
const framework = z.enum(frameworks);

/**
 * The argument object of each Api method as IPC accepts it (security checklist 3). Keyed by the
 * contract's names, so a method without a schema fails to compile; unknown keys are refused.
 * The web face keeps the same rules in shells/web/argSchemas.ts: shells do not import each other.
 */
export const ipcArgSchemas: { [M in ApiMethodName]: z.ZodType<ApiArgs<M>> } = {
  getDashboard: z.strictObject({ connection: text.optional() }),
  getQueues: z.strictObject({ name: text, framework: framework.optional(), connection: text.optional() }),
  getTask: z.strictObject({ id: text, framework: framework.optional(), connection: text.optional() }),
};

/** One line naming each invalid argument. */
export function describeArgIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'arguments'}: ${issue.message}`).join('; ');
}
