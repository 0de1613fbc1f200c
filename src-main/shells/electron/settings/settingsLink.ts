import type { Api, ApiEventName, ApiEvents, ApiMethodName, Unsubscribe } from '../../../contract/api.js';
import { apiEventNames, apiMethodNames } from '../../../contract/endpoints.js';
import { setupMonitor, type MonitorLink, type MonitorSetup } from '../monitorLink.js';
import { createSettingsHandlers } from './settingsApi.js';

/**
 * The tray app's monitor with its Settings calls: one Api object for the whole run (IPC handlers
 * and the tray hold it), whose calls go to the monitor of the moment. Saving settings starts a
 * new monitor over the saved config and closes the old one; event listeners move with it.
 */
export async function setupMonitorWithSettings(setup: MonitorSetup): Promise<MonitorLink> {
  let loadWarnings: string[] = [];
  const start = () => {
    loadWarnings = [];
    return setupMonitor({ ...setup, warn: (message) => { loadWarnings.push(message); setup.warn(message); } });
  };
  let current = await start();
  const store = setup.openStore();
  const subscriptions = new Set<{ event: ApiEventName; listener: (value: unknown) => void; stop: Unsubscribe }>();
  const settings = createSettingsHandlers({
    store, sealer: setup.sealer, env: setup.env,
    loadWarnings: () => loadWarnings,
    apply: async () => {
      const next = await start();
      const previous = current;
      current = next;
      for (const s of subscriptions) {
        s.stop();
        s.stop = subscribe(next.api, s.event, s.listener);
      }
      await previous.close();
      return loadWarnings.every((w) => !/^BAD_CONFIG/.test(w));
    },
  });
  const members: Record<string, unknown> = {};
  for (const name of apiMethodNames) {
    members[name] = (args: never) => (name in settings ? settings[name as keyof typeof settings] : current.api[name as ApiMethodName])(args as never);
  }
  for (const event of apiEventNames) {
    members[event] = (listener: (value: unknown) => void): Unsubscribe => {
      const entry = { event, listener, stop: subscribe(current.api, event, listener) };
      subscriptions.add(entry);
      return () => {
        entry.stop();
        subscriptions.delete(entry);
      };
    };
  }
  return {
    // Built member by member from the contract's name lists above: the one cast.
    api: members as unknown as Api,
    get pollIntervalMs() { return current.pollIntervalMs; },
    get notificationsEnabled() { return current.notificationsEnabled; },
    close: () => current.close(),
  };
}

function subscribe(api: Api, event: ApiEventName, listener: (value: unknown) => void): Unsubscribe {
  return (api[event] as (l: (value: ApiEvents[ApiEventName]) => void) => Unsubscribe)(listener);
}
