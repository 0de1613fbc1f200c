import type { ApiMethods } from '../contract/api.js';
import type { ApiError } from '../contract/errors.js';
import { overallStatusWithAlerts } from '../core/status/alertStatus.js';
import type { Clock } from '../io/clock.js';
import type { AlertPipeline } from '../monitor/alertPipeline.js';
import type { MonitorService } from '../monitor/monitorService.js';

/** The Api methods that the alert pipeline answers. */
export type AlertMethodName = 'getAlerts' | 'acknowledgeAlert' | 'snoozeAlert';

export interface AlertHandlerDeps {
  pipeline: AlertPipeline;
  monitor: Pick<MonitorService, 'dashboard' | 'pollIntervalMs'>;
  clock: Clock;
}

/**
 * Firing and recent alerts with the overall status, acknowledge and snooze. Acknowledge and
 * snooze are stamped with the clock here (the one place a face's request meets time).
 */
export function createAlertHandlers({ pipeline, monitor, clock }: AlertHandlerDeps): Pick<ApiMethods, AlertMethodName> {
  return {
    async getAlerts(query) {
      const view = pipeline.view(query);
      const status = overallStatusWithAlerts(monitor.dashboard().connections, view.alerts, clock.now(), monitor.pollIntervalMs).status;
      return { ...view, status };
    },
    async acknowledgeAlert({ key }) {
      const alert = pipeline.acknowledge(key, clock.now());
      if (!alert) throw { code: 'BAD_USAGE', detail: `no pending or firing alert with key ${key}` } satisfies ApiError;
      return alert;
    },
    async snoozeAlert(query) {
      if ((query.key === undefined) === (query.ruleId === undefined)) throw { code: 'BAD_USAGE', detail: 'snooze one alert (key) or a rule (ruleId)' } satisfies ApiError;
      if ((query.until === undefined) === (query.forMs === undefined)) throw { code: 'BAD_USAGE', detail: 'snooze until an instant (until) or for a duration (forMs)' } satisfies ApiError;
      return pipeline.snooze(query, clock.now());
    },
  };
}
