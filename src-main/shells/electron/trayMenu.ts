import type { MenuItemConstructorOptions } from 'electron';
import type { MenuEntry } from './trayModel.js';

export interface TrayActions {
  openWindow(): void;
  quit(): void;
}

/** The menu model as an Electron template; a connection line opens the window too. */
export function menuTemplateOf(menu: MenuEntry[], actions: TrayActions): MenuItemConstructorOptions[] {
  return menu.map((entry): MenuItemConstructorOptions => {
    switch (entry.kind) {
      case 'open':
        return { label: entry.label, click: () => actions.openWindow() };
      case 'headline':
        return { label: entry.label, enabled: false };
      case 'connection':
        return { id: `connection:${entry.id}`, label: entry.label, click: () => actions.openWindow() };
      case 'separator':
        return { type: 'separator' };
      case 'quit':
        return { label: entry.label, click: () => actions.quit() };
    }
  });
}
