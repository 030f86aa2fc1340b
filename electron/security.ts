/**
 * Pure security checks of the desktop shell, kept free of `electron` imports so they are unit-tested
 * under Node (the Electron binary cannot run in CI here).
 */
import { normalize, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'rxlab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Maps an app://rxlab/… URL to a file inside the renderer folder, or null when the URL leaves it
 * (../, encoded traversal, another host) — the app:// protocol's traversal check.
 */
export function resolveAppUrl(rawUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = normalize(resolve(root, `.${path === '/' ? '/index.html' : path}`));
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** IPC sender validation (after VS Code's ipcMain): only our own top-level page may call the API. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const u = new URL(frameUrl);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Navigation inside the app is allowed only to its one page (the notebook routes in the hash): a
 * relative link in a note (app://rxlab/notes.html) would replace the window with a 404 and no way back.
 */
export function isAllowedNavigation(target: string): boolean {
  try {
    const u = new URL(target);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && (u.pathname === '/' || u.pathname === '/index.html');
  } catch {
    return false;
  }
}

/**
 * A link the desktop app hands to the system (browser, mail client) instead of opening itself: http,
 * https and mailto only, never file: or custom schemes that could start a program.
 */
export function externalUrl(target: string): string | null {
  try {
    const u = new URL(target);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:' ? u.href : null;
  } catch {
    return null;
  }
}
