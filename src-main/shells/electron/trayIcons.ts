import { join } from 'node:path';
import type { OverallStatus } from '../../core/status/overallStatus.js';

/**
 * Which icon file the tray uses per status and OS (assets/README.md lists the files).
 * - macOS: a template image (`…Template.png`, 16 px plus `@2x`): the menu bar recolours it for
 *   light and dark, so the status is told by shape, and by the title text beside it.
 * - Windows: an `.ico` holding 16, 20, 24 and 32 px for 100–200 % DPI.
 * - Linux: a 32 px PNG (SNI hosts scale to ~22–32 px; larger images get clipped), with `@2x`.
 * nativeImage picks up the `@2x` sibling of a PNG path by itself.
 */
export function trayIconPath(assetsDir: string, status: OverallStatus, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return join(assetsDir, 'tray', `${status}Template.png`);
  if (platform === 'win32') return join(assetsDir, 'tray', `${status}.ico`);
  return join(assetsDir, 'tray', `${status}-32.png`);
}

/** The window and taskbar icon (Linux and Windows; macOS takes the bundle's icon). */
export function appIconPath(assetsDir: string, platform: NodeJS.Platform): string {
  return join(assetsDir, 'app', platform === 'win32' ? 'icon.ico' : join('icons', '256x256.png'));
}

/**
 * Where assets/ is: beside the code in a checkout (`electron .`), and in resources/ once
 * packaged (electron-builder `extraResources`), so that macOS template names stay unhashed.
 */
export function assetsDirOf(isPackaged: boolean, resourcesPath: string, appPath: string): string {
  return isPackaged ? join(resourcesPath, 'assets') : join(appPath, 'assets');
}
