import type { MenuItemConstructorOptions } from 'electron';
import type { MenuEntry } from './trayModel.js';

export interface TrayActions {
  openWindow(): void;
  quit(): void;
  /** Opens the window at a route (`#/queue/…`); without it, alert lines open the window as it is. */
  openRoute?(route: string): void;
  /** Acknowledge and snooze call the Api's alert members; absent while the monitor has none. */
  acknowledge?(key: string): void;
  snooze?(key: string, forMs: number): void;
}

/** The snoozes the menu offers. */
export const snoozeChoices = [
  { label: 'Snooze 1 hour', forMs: 3_600_000 },
  { label: 'Snooze 8 hours', forMs: 8 * 3_600_000 },
] as const;

/** The menu model as an Electron template; a connection line opens the window too. */
export function menuTemplateOf(menu: MenuEntry[], actions: TrayActions): MenuItemConstructorOptions[] {
  const open = (route: string) => (actions.openRoute ? actions.openRoute(route) : actions.openWindow());
  return menu.map((entry): MenuItemConstructorOptions => {
    switch (entry.kind) {
      case 'open':
        return { label: entry.label, click: () => actions.openWindow() };
      case 'headline':
        return { label: entry.label, enabled: false };
      case 'connection':
        return { id: `connection:${entry.id}`, label: entry.label, click: () => actions.openWindow() };
      case 'alert':
        return { id: `alert:${entry.key}`, label: entry.label, submenu: alertSubmenu(entry, actions, open) };
      case 'more':
        return { label: entry.label, click: () => actions.openWindow() };
      case 'separator':
        return { type: 'separator' };
      case 'quit':
        return { label: entry.label, click: () => actions.quit() };
    }
  });
}

/**
 * Open first: on Linux a notification's click may never arrive, and this is the second route to
 * the queue or task. Acknowledge and snooze only for what still fires, and only when wired.
 */
function alertSubmenu(entry: Extract<MenuEntry, { kind: 'alert' }>, actions: TrayActions, open: (route: string) => void): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [{ label: entry.route.startsWith('#/task/') ? 'Open task' : entry.route === '#/' ? 'Open window' : 'Open queue', click: () => open(entry.route) }];
  if (!entry.isFiring) return items;
  const { acknowledge, snooze } = actions;
  if (acknowledge) items.push({ label: entry.isAcknowledged ? 'Acknowledged' : 'Acknowledge', enabled: !entry.isAcknowledged, click: () => acknowledge(entry.key) });
  if (snooze) for (const choice of snoozeChoices) items.push({ label: choice.label, click: () => snooze(entry.key, choice.forMs) });
  return items;
}
