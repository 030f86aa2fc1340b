/**
 * Which store a host opens. Apart from core/paths.ts on purpose: that file is part of the model
 * version's hash (the simulator imports it), and where the database lives changes no result.
 */
import { join } from 'node:path';
import { defaultDataDir } from './paths.js';

/**
 * `--db FILE` / `--db=FILE` among a host's arguments, else RXLAB_DB, else the per-user data directory.
 * The CLI, browser mode and the desktop app all use that directory (the desktop app not Electron's
 * userData, which on Linux is ~/.config/rxlab), so `rxlab import` and the app see the same store.
 */
export function dbPathFor(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const at = args.findIndex((a) => a === '--db' || a.startsWith('--db='));
  const flag = at < 0 ? undefined : (args[at] ?? '').startsWith('--db=') ? (args[at] ?? '').slice(5) : args[at + 1];
  return flag || env['RXLAB_DB'] || join(defaultDataDir(env), 'rxlab.db');
}
