#!/usr/bin/env node
// `npm start`: launch the Electron app; where the Electron binary is missing and cannot be downloaded
// (no internet, as on the build machine), say so in one line and start browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const bin = require('electron'); // the package exports the binary's path, or throws if it was never fetched
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

let bin = electronBinary();
if (!bin && !process.env.RXLAB_NO_ELECTRON) {
  // npm ci skips electron's download (allowScripts), so fetch the binary now.
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (existsSync(installer)) {
    process.stderr.write('rxlab: fetching the Electron binary…\n');
    spawnSync(process.execPath, [installer], { cwd: dirname(installer), stdio: 'ignore', timeout: 120_000 });
    bin = electronBinary();
  }
}

// The desktop app needs better-sqlite3 built for Electron's ABI (beside the Node build).
let sqliteProblem = null;
if (bin) {
  const { buildElectronSqlite } = await import('./build-electron-sqlite.js');
  const r = buildElectronSqlite({ quiet: true });
  if (!r.ok) sqliteProblem = r.why;
}

if (bin && !sqliteProblem) {
  const child = spawn(bin, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  forwardSignals(child);
} else {
  process.stdout.write(
    sqliteProblem
      ? `rxlab: ${sqliteProblem} — starting browser mode instead.\n`
      : process.env.RXLAB_NO_ELECTRON
        ? 'rxlab: RXLAB_NO_ELECTRON is set — starting browser mode.\n'
        : 'rxlab: the Electron binary is not installed and could not be downloaded (no internet?) — starting browser mode instead.\n',
  );
  const child = spawn(process.execPath, [join(root, 'bin', 'rxlab.js'), 'serve', '--open', ...process.argv.slice(2)], { stdio: 'inherit' });
  forwardSignals(child);
}

/**
 * Ctrl+C reaches the child from the terminal (same process group): sending it a second SIGINT killed
 * it before it could stop cleanly. So SIGINT is left to the terminal, SIGTERM (sent to this process
 * alone) is passed on, and a child that died by a signal exits this process as the shell expects.
 */
function forwardSignals(child) {
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 1) : 0)));
}
