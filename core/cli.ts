#!/usr/bin/env node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stopped, type CliIO, type CommandSpec } from './cli-types.js';
import { intFlag, UsageError } from './cli-args.js';
import { reportRoutes } from './report/routes.js';
import { serve } from './server.js';
import { Service } from './service.js';
import { APP_VERSION } from './version.js';
import { commandModules } from './commands.js';
import { destroyPool } from './sim/pool.js';
import { defaultDbPath } from './paths.js';
import { explainStorageError } from './store/damage.js';

const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'Browser mode: serve the notebook and its API on 127.0.0.1 with a per-start token',
  usage: `rxlab serve [--port N] [--db FILE] [--open]

  --port N   port on 127.0.0.1 (default 0 = pick a free one)
  --db FILE  SQLite database (default: the user's data directory, e.g. ~/.local/share/rxlab/rxlab.db)
  --open     open the URL in the system browser

Prints one line with http://127.0.0.1:PORT/?token=TOKEN. Every API call needs the token.
Stops cleanly on Ctrl+C (SIGINT) or SIGTERM.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, open: { type: 'boolean' } }, strict: true });
    const port = intFlag('port', values.port, 0, 0, 65535);
    const service = new Service({ dbPath: io.dbPath, host: 'browser' });
    const srv = await serve(service, { port, routes: reportRoutes(service) });
    io.out(`rxlab ${APP_VERSION} browser mode: ${srv.url}\n`);
    io.err(`database: ${service.dbPath}\n`);
    const opened = values.open ? openBrowser(srv.url) : null;
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await srv.close();
    service.close();
    if (opened !== null) rmSync(opened, { recursive: true, force: true });
    io.err('rxlab serve: stopped\n');
    return 0;
  },
};

/**
 * Opens the app in the system browser through a redirect file only this user can read (as Jupyter
 * does): handing the URL itself to xdg-open put the token in the process list, where any local user
 * could read it. Returns the file's folder, removed when the server stops.
 */
export function openBrowser(url: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-open-'));
  const file = join(dir, 'open.html');
  const attr = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  writeFileSync(file, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${attr}"><title>rxlab</title><p><a href="${attr}">Open rxlab</a></p>\n`, { mode: 0o600 });
  void import('node:child_process').then(({ spawn }) => {
    const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    try {
      const child = spawn(cmd, [pathToFileURL(file).href], { stdio: 'ignore', detached: true });
      child.on('error', () => undefined);
      child.unref();
    } catch {
      /* no system browser: the URL line is already printed */
    }
  });
  return dir;
}

function allCommands(): CommandSpec[] {
  return [serveCommand, ...commandModules];
}

function help(cmds: CommandSpec[]): string {
  const w = Math.max(...cmds.map((c) => c.name.length));
  return `rxlab ${APP_VERSION} — a lab notebook for the virtualized network receive path

Usage: rxlab [--db FILE] <command> [options]
       rxlab <command> --help

Commands:
${cmds.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

Global options:
  --db FILE   SQLite database (default: ~/.local/share/rxlab/rxlab.db, or $RXLAB_DATA_DIR/rxlab.db)
  --version   print the version

Exit codes: 0 done, 1 failed (the machine or the store), 2 bad input (FILE:LINE or the flag named),
130 cancelled by Ctrl+C and 143 by SIGTERM (nothing half-done is saved), 3 a Slurm collect not finished.
`;
}

export async function main(argv: string[]): Promise<number> {
  // `rxlab … | head` closes stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const ac = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (s: NodeJS.Signals): void => {
    stoppedBy ??= s === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    ac.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let dbPath: string | undefined = process.env['RXLAB_DB'];
  const args = [...argv];
  const dbAt = args.findIndex((a) => a === '--db' || a.startsWith('--db='));
  if (dbAt >= 0) {
    const a = args[dbAt] ?? '';
    if (a.startsWith('--db=')) {
      dbPath = a.slice(5);
      args.splice(dbAt, 1);
    } else {
      dbPath = args[dbAt + 1];
      args.splice(dbAt, 2);
    }
    if (!dbPath) {
      process.stderr.write('rxlab: --db needs a file name\n');
      return 2;
    }
  }
  const io: CliIO = {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    dbPath,
    signal: ac.signal,
    stoppedBy: () => stoppedBy,
  };
  const cmds = allCommands();
  const name = args[0];
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const sub = name === 'help' ? cmds.find((c) => c.name === args[1]) : undefined;
    if (name === 'help' && args[1] !== undefined && sub === undefined) {
      io.err(`rxlab help: unknown command "${args[1]}". Run rxlab --help for the list.\n`);
      return 2;
    }
    io.out(sub ? `${sub.usage}\n` : help(cmds));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${APP_VERSION}\n`);
    return 0;
  }
  const cmd = cmds.find((c) => c.name === name);
  if (!cmd) {
    io.err(`rxlab: unknown command "${name}". Run rxlab --help for the list.\n`);
    return 2;
  }
  const rest = args.slice(1);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`rxlab ${name}: ${e.message}\n${cmd.usage.split('\n')[0] ?? ''}\n`);
      return 2;
    }
    const err = e as Error & { apiError?: { code: string } };
    // Ctrl+C (SIGINT/SIGTERM) reaching work in flight: a cancel, said as one, with the shell's 130
    if (io.signal.aborted && (err.name === 'AbortError' || err.name === 'ImportAbortedError' || /aborted|cancelled/i.test(err.message ?? ''))) {
      const { why, code } = stopped(io);
      io.err(`rxlab ${name}: cancelled (${why}); nothing half-done was saved\n`);
      return code;
    }
    // A bare SqliteError (a command that writes the store itself, as rxlab import does) names neither the
    // file nor the cause; an error that came through the service (apiError) is already explained.
    const storage = err.apiError ? null : explainStorageError(e, resolve(dbPath ?? defaultDbPath()));
    io.err(`rxlab ${name}: ${storage?.message ?? err.message ?? String(e)}\n`);
    return err.apiError?.code === 'bad-request' || err.name === 'LogParseError' || err.name === 'ParamError' ? 2 : 1;
  } finally {
    // worker threads would keep the process alive after the command is done
    await destroyPool();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
