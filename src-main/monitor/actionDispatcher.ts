import type { Unsubscribe } from '../contract/api.js';
import type { ActionEvent, ActionLogEntry } from '../contract/actions.js';
import type { NotifyDecision } from '../contract/alerts.js';
import type { Action, ActionOutcome } from '../io/actions/actions.js';
import type { ActionLedger } from '../io/actions/actionLedger.js';
import type { ActionLog } from '../io/actions/actionLog.js';
import { actionEventOf, dispatchIdOf, matchesWhen } from '../io/actions/incident.js';

/**
 * Where notification decisions come from: the monitor's alert pipeline (AlertPipeline's
 * `onAlertDecision`, each decision emitted once, its state saved first). Narrow on purpose.
 */
export interface NotifyDecisionSource {
  onAlertDecision(listener: (decision: NotifyDecision) => void): Unsubscribe;
}

export interface ActionDispatcherOptions {
  actions: readonly Action[];
  ledger: ActionLedger;
  log: ActionLog;
  now(): number;
  /** Runs at once (default 4). */
  concurrency?: number;
  /** Runs waiting beyond this are dropped and logged (default 200): a dead webhook cannot pile up memory. */
  maxQueued?: number;
}

interface Job {
  action: Action;
  decision: NotifyDecision;
  event: ActionEvent;
  dispatchId: string;
}

/**
 * Turns notification decisions into action runs: one per matching action per incident start,
 * end and (when asked for) reminder, recorded in the ledger before it runs so that a restart
 * never repeats it. `dispatch` only queues and returns: the poll loop never waits for a hook or
 * a webhook. At most `concurrency` run at once, each under its own time limit; every outcome,
 * failures included, goes to the log, and nothing an action does can throw into the monitor.
 */
export class ActionDispatcher {
  readonly #queue: Job[] = [];
  #running = 0;
  #idle: Array<() => void> = [];

  constructor(readonly options: ActionDispatcherOptions) {}

  dispatch(decisions: readonly NotifyDecision[]): void {
    for (const decision of decisions) {
      const event = actionEventOf(decision);
      if (event === null) continue;
      for (const action of this.options.actions) {
        if (!matchesWhen(action.when, decision, event)) continue;
        const job = { action, decision, event, dispatchId: dispatchIdOf(action.id, decision, event) };
        if (this.options.ledger.has(job.dispatchId)) {
          this.#log(job, { outcome: 'skipped', detail: 'already dispatched (a restart or a replayed decision)' });
          continue;
        }
        if (this.#queue.length >= (this.options.maxQueued ?? 200)) {
          this.#log(job, { outcome: 'skipped', detail: 'too many action runs waiting; dropped' });
          continue;
        }
        try {
          this.options.ledger.add(job.dispatchId, this.options.now());
        } catch (error) {
          // Run anyway: a missed hook is worse than one that might repeat after a restart.
          this.#log(job, { outcome: 'failed', detail: `could not record the run in the ledger (${(error as Error).message}); running it anyway` });
        }
        this.#queue.push(job);
        this.#pump();
      }
    }
  }

  /** Starts dispatching what `source` decides; returns the unsubscribe. */
  follow(source: NotifyDecisionSource): Unsubscribe {
    return source.onAlertDecision((decision) => this.dispatch([decision]));
  }

  /** Resolves when nothing is queued or running (tests; shutdown waits on it with a limit). */
  idle(): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.#running < limit && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running++;
      void this.#run(job).finally(() => {
        this.#running--;
        this.#pump();
        if (this.#running === 0 && this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #run(job: Job): Promise<void> {
    let outcome: ActionOutcome;
    try {
      outcome = await job.action.run(job.decision, job.event, job.dispatchId);
    } catch (error) {
      outcome = { outcome: 'failed', detail: `action threw: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.#log(job, outcome);
  }

  #log(job: Job, outcome: ActionOutcome): void {
    const entry: ActionLogEntry = {
      at: this.options.now(), actionId: job.action.id, kind: job.action.kind, dispatchId: job.dispatchId, event: job.event,
      alertKey: job.decision.alert.key, ...outcome,
    };
    try {
      this.options.log(entry);
    } catch {
      // A log that throws must not take the monitor down with it.
    }
  }
}
