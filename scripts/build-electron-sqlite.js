#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into out/native/electron/better_sqlite3.node, BESIDE the Node
// build that tests and the CLI use (electron/main.ts points better-sqlite3's nativeBinding at it).
// It works on a copy of the package, so node_modules/better-sqlite3 is never touched — unlike
// electron-rebuild, which replaces the Node build. Needs internet (Electron headers or a prebuilt binary).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
export const target = join(root, 'out', 'native', 'electron', 'better_sqlite3.node');

export function buildElectronSqlite({ quiet = false } = {}) {
  if (existsSync(target)) return { ok: true, path: target };
  const electronVersion = require('electron/package.json').version;
  const src = dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'rxlab-sqlite-electron-'));
  const pkg = join(work, 'better-sqlite3');
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  const io = quiet ? 'ignore' : 'inherit';
  try {
    cpSync(src, pkg, { recursive: true, filter: (p) => !p.includes(`${join(src, 'build')}`) });
    // 1) a prebuilt binary for this Electron version; 2) compile against Electron's headers
    let r = spawnSync(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch], { cwd: pkg, stdio: io, timeout: 180_000 });
    if (r.status !== 0) {
      r = spawnSync(bin('node-gyp'), ['rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', '--nodedir='], {
        cwd: pkg,
        stdio: io,
        timeout: 600_000,
        env: { ...process.env, npm_config_nodedir: '' },
      });
    }
    const built = join(pkg, 'build', 'Release', 'better_sqlite3.node');
    if (r.status !== 0 || !existsSync(built)) return { ok: false, why: `could not build better-sqlite3 for Electron ${electronVersion} (no internet?)` };
    mkdirSync(dirname(target), { recursive: true });
    cpSync(built, target);
    return { ok: true, path: target };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = buildElectronSqlite();
  if (!r.ok) {
    process.stderr.write(`rxlab: ${r.why}\n`);
    process.exit(1);
  }
  process.stdout.write(`rxlab: better-sqlite3 for Electron: ${r.path}\n`);
}
