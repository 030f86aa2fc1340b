import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The package root (where package.json and migrations/ live). Found by walking up, because the
 * same module runs from TS source under vitest (core/…) and compiled from out/core/….
 */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
        if (name === 'rxlab') return (cachedRoot = dir);
      } catch {
        /* not ours; keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('rxlab: cannot find the package root (package.json named "rxlab")');
    dir = up;
  }
}

/** Where compiled JS lives; worker threads must load compiled files even when the caller is TS source. */
export function compiledPath(...parts: string[]): string {
  return join(appRoot(), 'out', ...parts);
}

/**
 * The platform's per-user data directory (XDG data dir, Application Support, APPDATA). The CLI, browser
 * mode and the desktop app all keep their database here (core/db-path.ts), so they share one store.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['RXLAB_DATA_DIR']) return resolve(env['RXLAB_DATA_DIR']);
  const home = homedir();
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'rxlab');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'rxlab');
  return join(env['XDG_DATA_HOME'] ?? join(home, '.local', 'share'), 'rxlab');
}

export function defaultDbPath(): string {
  return join(defaultDataDir(), 'rxlab.db');
}
