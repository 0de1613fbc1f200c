import { z } from 'zod';
import { levels } from '../../contract/alerts.js';
import { isKnownFigure } from './alertFigures.js';

const op = z.enum(['>', '>=', '<', '<=', '==', '!=']);
const duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration like "5m"');
const framework = z.enum(['celery', 'rq', 'bullmq', 'sidekiq', 'rabbitmq']);
const figureValue = z.union([z.number(), z.string().min(1)]);

/**
 * One entry of the config's `rules:` (contract AlertRuleConfig). Every field but `id` may be
 * omitted to edit a default rule; a new rule's completeness is checked when rules are resolved.
 */
export const alertRuleConfigSchema = z.strictObject({
  id: z.string().min(1),
  level: z.enum(levels).optional(),
  name: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  scope: z.strictObject({ connection: z.string().min(1).optional(), framework: framework.optional(), queue: z.string().min(1).optional() }).optional(),
  condition: z.strictObject({
    figure: z.string().refine(isKnownFigure, 'not a figure a rule can test (see core/alerts/README.md)').optional(),
    op: op.optional(),
    value: figureValue.optional(),
  }).optional(),
  for: duration.optional(),
  clear: z.strictObject({ op, value: figureValue }).optional(),
  keepFiringFor: duration.optional(),
  minFinished: z.number().int().min(1).optional(),
  renotify: z.union([duration, z.literal('off')]).optional(),
  predict: z.strictObject({ horizon: duration, span: duration.optional() }).optional(),
});

const matcher = z.strictObject({
  key: z.string().min(1).optional(),
  ruleId: z.string().min(1).optional(),
  level: z.enum(levels).optional(),
  connection: z.string().min(1).optional(),
  framework: framework.optional(),
  queue: z.string().min(1).optional(),
});

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date and time');

/** One entry of the config's `maintenance:` (contract MaintenanceWindowConfig). */
export const maintenanceWindowConfigSchema = z.strictObject({
  id: z.string().min(1).optional(),
  match: matcher.optional(),
  from: instant,
  to: instant,
  comment: z.string().optional(),
});
