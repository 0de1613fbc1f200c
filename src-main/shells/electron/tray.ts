import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import type { OverallStatus } from '../../core/status/overallStatus.js';
import { trayIconPath } from './trayIcons.js';
import { menuTemplateOf, type TrayActions } from './trayMenu.js';
import { waitingTrayView, type TrayView } from './trayModel.js';

export interface TrayOptions extends TrayActions {
  assetsDir: string;
  platform: NodeJS.Platform;
}

export interface TrayController {
  /** Shows a view, touching only what changed (image, tooltip, title, menu). */
  show(view: TrayView): void;
  destroy(): void;
}

/**
 * ONE Tray for the app's life: on Linux only the first Tray gets a StatusNotifierItem.
 * One NativeImage per status is loaded once and `setImage` is called only when the status
 * changes. A context menu is always set, and set again whenever it changes (Linux does not
 * pick up mutated items); `click` is wired too but never relied on, since Linux desktops differ.
 */
export function setupTray(options: TrayOptions): TrayController {
  const images = new Map<OverallStatus, NativeImage>();
  const imageOf = (status: OverallStatus): NativeImage => {
    let image = images.get(status);
    if (image === undefined) {
      image = nativeImage.createFromPath(trayIconPath(options.assetsDir, status, options.platform));
      if (options.platform === 'darwin') image.setTemplateImage(true);
      images.set(status, image);
    }
    return image;
  };

  const first = waitingTrayView();
  const tray = new Tray(imageOf(first.status));
  tray.on('click', () => options.openWindow());
  let shown: TrayView | null = null;

  function show(view: TrayView): void {
    if (shown !== null && view.status !== shown.status) tray.setImage(imageOf(view.status));
    if (shown === null || view.tooltip !== shown.tooltip) tray.setToolTip(view.tooltip);
    if (options.platform === 'darwin' && (shown === null || view.title !== shown.title)) tray.setTitle(view.title);
    if (shown === null || JSON.stringify(view.menu) !== JSON.stringify(shown.menu)) {
      tray.setContextMenu(Menu.buildFromTemplate(menuTemplateOf(view.menu, options)));
    }
    shown = view;
  }

  show(first);
  return { show, destroy: () => tray.destroy() };
}
