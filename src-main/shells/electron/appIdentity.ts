/**
 * Names the OS binds to. Never change `appId` once released: it is the Windows AppUserModelID
 * (taskbar grouping, toast activation; electron-builder gives the Start-Menu shortcut the same
 * id) and the macOS bundle id (keychain access for safeStorage). electron-builder.yml repeats it.
 */
export const appId = 'dev.taskstatus.app';

/** The renderer is served from `app://task-status/…`, never from file:// (security checklist 4). */
export const appScheme = 'app';
export const appHost = 'task-status';
export const appOrigin = `${appScheme}://${appHost}`;

/** Whether a URL belongs to our renderer: the only origin allowed to call the Api over IPC. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // `origin` is "null" for custom schemes in Node's URL, so compare the parts.
    return parsed.protocol === `${appScheme}:` && parsed.host.toLowerCase() === appHost && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
