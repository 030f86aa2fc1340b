import { basename, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stopped, type CliIO, type CommandSpec } from '../cli-types.js';
import { openStore } from '../store/db.js';
import { explainStorageError } from '../store/damage.js';
import { defaultDbPath } from '../paths.js';
import { isBusy, retryBusy } from '../store/busy.js';
import { deleteImport } from '../store/delete-import.js';
import { listImports, SaveCancelledError, tooLargeToStore } from '../store/imports.js';
import { ImportAbortedError, LogParseError, TempSpaceError } from './errors.js';
import { importFile, importFileRecords, type StreamedImport } from './import.js';
import { docJsonPieces } from './doc-json.js';
import { runNotes } from './run-notes.js';
import { inputsByTool, measuredTables, type NamedDoc } from './measured/tables.js';
import type { DomainRule } from './types.js';
import { badRuleDomain } from './oprofile/domains.js';
import { saveImportCancellable } from './save-cancellable.js';

const IMPORT_USAGE = `Usage: rxlab import FILE… [--json] [--pretty] [--no-save] [--domain-rule PATTERN=DOMAIN]…
       rxlab import --list [--json]
       rxlab import --delete ID [--delete ID]…

Imports netperf, opreport (text or -X XML, incl. xenoprof), perf report --stdio, iperf3 -J and
flent .flent.gz logs. The tool is detected from the content, not the file name.

  --json         print one JSON document per file, one per line (JSON Lines), with the shape
                 {"tool", "format", "warnings", "records", "profiles"} (see core/logs/README.md)
  --pretty       with --json: indent each document (documents are then separated by a blank line)
  --no-save      parse only; do not store the import in the database
  --domain-rule  xenoprof override: image-name regex = domain (hypervisor, driver, guestN, native),
                 e.g. --domain-rule '^dom(\\d+)-=guest$1'; tested before the built-in rule
  --list         the logs already in the database, newest first, with the file ids that
                 sweep calibrate --measured and Compare cells take
  --delete ID    remove a stored log with its runs, unless a notebook still shows it
                 (then it says which; remove it there first)

Each file is saved in one transaction with its raw bytes, SHA-256, parser version and warnings;
importing the same bytes again is reported as a duplicate. Ctrl+C while a file is saved rolls
that file back and exits 130 (files saved before it stay saved). A damaged file prints
FILE:LINE: what is wrong on stderr, is not saved, and makes the command exit 2.`;

function parseRule(s: string): DomainRule {
  const eq = s.lastIndexOf('=');
  if (eq <= 0) throw new LogParseError('--domain-rule', 1, `expected PATTERN=DOMAIN, got "${s}"`);
  const pattern = s.slice(0, eq);
  try {
    new RegExp(pattern);
  } catch (e) {
    throw new LogParseError('--domain-rule', 1, `"${pattern}" is not a regular expression (${e instanceof Error ? e.message : String(e)})`);
  }
  const domain = s.slice(eq + 1);
  const bad = badRuleDomain(domain);
  if (bad !== null) throw new LogParseError('--domain-rule', 1, bad);
  return { pattern, domain };
}

/**
 * Progress of a long import on stderr, like `rxlab sweep`: nothing for work under a second, then at
 * most one line a second (a 256 MiB netperf log parses for seconds and saves for half a minute).
 */
export function progressLines(io: Pick<CliIO, 'err'>, file: string, clock: () => number = Date.now): { parse: (read: number, total: number) => void; save: (done: number, total: number) => void } {
  let last = clock();
  const due = (): boolean => {
    const now = clock();
    if (now - last < 1000) return false;
    last = now;
    return true;
  };
  const mib = (b: number): string => (b / 1024 / 1024).toFixed(0);
  return {
    parse: (read, total) => {
      if (due()) io.err(`import: ${file}: parsed ${Math.floor((100 * read) / Math.max(1, total))} % (${mib(read)} of ${mib(total)} MiB)\n`);
    },
    save: (done, total) => {
      if (done < total && due()) io.err(`import: ${file}: ${done === 0 ? `saving ${total.toLocaleString('en-US')} runs` : `saved ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} runs`}\n`);
    },
  };
}

/**
 * Saving is a separate step so a parse failure can never leave a partial import behind. It yields
 * to the event loop as it goes (save-cancellable.ts), so Ctrl+C stops it and rolls it back.
 */
async function save(io: CliIO, file: string, r: StreamedImport, bytes: Uint8Array, db: ReturnType<typeof openStore>, quiet: boolean, onProgress: (done: number, total: number) => void, withRules: boolean): Promise<void> {
  const s = await saveImportCancellable(db, r, bytes, io.signal, onProgress);
  const what = s.duplicate ? `already imported as file #${s.fileId}` : `saved as file #${s.fileId} (${s.runCount} measured runs)`;
  (quiet ? io.err : io.out)(`${file}: ${what}\n`);
  // The stored file keeps the domains it was classified with; say so rather than seem to apply the rule.
  if (s.duplicate && withRules && r.doc.tool === 'oprofile') {
    io.err(`${file}: warning: --domain-rule was not applied to the stored import: file #${s.fileId} keeps the domains of its first import (--no-save --json shows this classification)\n`);
  }
}

/** `rxlab import --delete ID…`: each stored log removed with its runs unless a notebook shows it. */
async function deleteStored(io: CliIO, ids: string[]): Promise<number> {
  const bad = ids.find((x) => !/^[1-9]\d*$/.test(x));
  if (bad !== undefined) {
    io.err(`--delete: "${bad}" is not a file id (rxlab import --list shows them)\n`);
    return 2;
  }
  const db = openStore(io.dbPath);
  let status = 0;
  try {
    for (const id of ids.map(Number)) {
      const r = await retryBusy(() => deleteImport(db, id), { signal: io.signal });
      if (r.deleted) io.out(`deleted file #${id} and its ${r.runs} ${r.runs === 1 ? 'run' : 'runs'} (${r.sizeBytes.toLocaleString('en-US')} bytes of log)\n`);
      else if (r.reason === 'missing') {
        io.err(`file #${id}: no such imported file (rxlab import --list shows them)\n`);
        status = 2;
      } else {
        const where = r.uses.map((u) => `"${u.title}"${u.deleted ? ' (in the trash)' : ''} cell ${u.cell}`).join(', ');
        io.err(`file #${id}: not deleted: it is shown in ${where}; remove it there first\n`);
        status = 1;
      }
    }
  } finally {
    db.close();
  }
  return status;
}

/** `rxlab import --list`: one line per stored log (or a JSON array), newest first. */
function listStored(io: CliIO, json: boolean): void {
  const db = openStore(io.dbPath);
  try {
    const files = listImports(db);
    const runs = db.prepare('SELECT imported_file_id AS id, count(*) AS n FROM run WHERE imported_file_id IS NOT NULL GROUP BY imported_file_id').all() as Array<{ id: number; n: number }>;
    const runCount = new Map(runs.map((r) => [r.id, r.n]));
    if (json) {
      io.out(`${JSON.stringify(files.map((f) => ({ ...f, runCount: runCount.get(f.id) ?? 0 })))}\n`);
      return;
    }
    if (files.length === 0) {
      io.out('no logs in the database yet (rxlab import FILE… adds them)\n');
      return;
    }
    for (const f of files) {
      const n = runCount.get(f.id) ?? 0;
      io.out(`#${f.id}  ${f.fileName}  ${f.tool} (${f.format}), ${n} ${n === 1 ? 'run' : 'runs'}, ${f.sizeBytes.toLocaleString('en-US')} bytes, imported ${f.importedAt}\n`);
    }
  } finally {
    db.close();
  }
}

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'import real netperf / opreport / perf / iperf3 / flent logs',
  usage: IMPORT_USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          json: { type: 'boolean', default: false },
          pretty: { type: 'boolean', default: false },
          'no-save': { type: 'boolean', default: false },
          'domain-rule': { type: 'string', multiple: true },
          list: { type: 'boolean', default: false },
          delete: { type: 'string', multiple: true },
          help: { type: 'boolean', default: false },
        },
      });
    } catch (e) {
      // "rxlab import: …" as every other command says it (node's message alone named no command)
      io.err(`rxlab import: ${e instanceof Error ? e.message : String(e)}\n${IMPORT_USAGE}\n`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(`${IMPORT_USAGE}\n`);
      return 0;
    }
    if (values.delete !== undefined) {
      if (positionals.length > 0 || values.list) {
        io.err(`--delete takes file ids, not FILEs\n${IMPORT_USAGE}\n`);
        return 2;
      }
      return deleteStored(io, values.delete);
    }
    if (values.list) {
      if (positionals.length > 0) {
        io.err(`--list takes no FILE\n${IMPORT_USAGE}\n`);
        return 2;
      }
      listStored(io, values.json);
      return 0;
    }
    if (positionals.length === 0) {
      io.err(`${IMPORT_USAGE}\n`);
      return 2;
    }
    let domainRules: DomainRule[] | undefined;
    try {
      domainRules = values['domain-rule']?.map(parseRule);
    } catch (e) {
      io.err(`${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    let db: ReturnType<typeof openStore> | null = null;
    let status = 0;
    try {
      let printed = 0;
      for (const [at, file] of positionals.entries()) {
        // The runs stay in their compact store and are streamed to stdout and to the database,
        // so a file of hundreds of MB never becomes half a million objects or one huge string.
        let r: StreamedImport;
        const progress = progressLines(io, file);
        try {
          // Refused before a long parse, not after it.
          const tooLarge = values['no-save'] ? null : tooLargeToStore((await stat(file)).size);
          if (tooLarge !== null) throw new LogParseError(file, 1, `${tooLarge}; use --no-save to parse it without storing`);
          r = await importFileRecords(file, { signal: io.signal, onProgress: progress.parse, ...(domainRules !== undefined ? { domainRules } : {}) });
        } catch (e) {
          if (e instanceof ImportAbortedError) {
            // as Ctrl+C while saving says it, with the shell's 130 (143 for SIGTERM); files saved before this one stay saved
            const { why, code } = stopped(io);
            io.err(`${file}: cancelled (${why}); nothing saved\n`);
            return code;
          }
          if (e instanceof TempSpaceError) {
            // the machine's trouble, not the log's: exit 1, as for a database that cannot be written
            io.err(`${e.message}\n`);
            status = Math.max(status, 1);
            continue;
          }
          if (e instanceof LogParseError) io.err(`${e.message}\n`);
          else io.err(`${file}:1: cannot read: ${e instanceof Error ? e.message : String(e)}\n`);
          status = 2;
          continue;
        }
        try {
          if (values.json) {
            // JSON Lines: one document per line; --pretty separates documents by a blank line.
            if (values.pretty && printed > 0) io.out('\n');
            for (const piece of docJsonPieces(r.doc, r.records, values.pretty)) io.out(piece);
            io.out('\n');
            printed++;
          } else {
            const n = r.records.count > 0 ? `${r.records.count} runs` : `${r.doc.profiles.length} profiles`;
            io.out(`${file}: ${r.doc.tool} (${r.doc.format}), ${n}, ${r.doc.warnings.length} warnings\n`);
            for (const note of runNotes(r.records)) io.out(`  ${note}\n`);
            for (const w of r.doc.warnings) io.err(`${file}: warning: ${w}\n`);
          }
          if (!values['no-save']) {
            db ??= openStore(io.dbPath);
            const bytes = await readFile(file);
            // The bytes stored must be the bytes parsed: a log still being written (appended to by a
            // running benchmark) would otherwise be stored with runs, hash and size that disagree.
            if (bytes.length !== r.sizeBytes || createHash('sha256').update(bytes).digest('hex') !== r.sha256) {
              io.err(`${file}: changed while it was being imported (${r.sizeBytes} bytes parsed, ${bytes.length} now); nothing was saved: import it again once it is complete\n`);
              status = 1;
              continue;
            }
            const store = db;
            try {
              // Another rxlab (the app saving a large import) may hold the write lock for a while:
              // wait for it, as the app waits for this one, instead of failing after 5 s.
              await retryBusy(() => save(io, file, r, bytes, store, values.json, progress.save, domainRules !== undefined), { signal: io.signal });
            } catch (e) {
              if (e instanceof SaveCancelledError) {
                // the shell's 130 for Ctrl+C (143 for SIGTERM), as core/cli.ts gives it; files saved before this one stay saved
                const { why, code } = stopped(io);
                io.err(`${file}: cancelled (${why}); nothing saved\n`);
                return code;
              }
              const storage = explainStorageError(e, resolve(io.dbPath ?? defaultDbPath()));
              if (storage !== null) {
                // disk full, read-only: say which log was not saved and which were not tried (the
                // bare error named neither), and stop: the next would fail the same way
                const left = positionals.slice(at + 1);
                io.err(`${file}: not saved: ${storage.message}${left.length ? `\nnot tried: ${left.join(', ')}` : ''}\n`);
                return 1;
              }
              if (!isBusy(e)) throw e;
              // gave up waiting: cancelled (Ctrl+C) or two minutes passed
              io.err(io.signal.aborted ? `${file}: import cancelled while waiting for the database; nothing was written\n` : `${file}: not saved: another rxlab process kept the database busy for two minutes; nothing was written, try again\n`);
              status = 1;
            }
          }
        } finally {
          r.records.dispose();
        }
      }
    } finally {
      db?.close();
    }
    return status;
  },
};

const TABLES_USAGE = `Usage: rxlab measured-tables --netperf FILE [FILE…] --oprofile FILE [FILE…] [--system NAME] [--clock-event NAME] [--json]

Measured Table IV (TCP_STREAM Mbit/s), Table V (cycles/byte per domain = Σ samples × event count
÷ bytes, bytes = throughput × elapsed) and Table VII (TCP_RR transactions/s) from your own logs,
printing every step of the arithmetic. The i-th TCP_STREAM run pairs with the i-th profile (a perf
report's sections are one profile), only when there are as many runs as profiles. perf report
prints percentages: its cycles are the share × its "# Event count", or, with -n and a fixed
period (perf record -c), samples × period; a perf report with neither is left out. Each
file is read as the tool that wrote it (iperf3 TCP runs count for Table IV; perf reports as
profiles): --netperf and --oprofile only introduce files. Exit 2 for no file or an unreadable one.`;

export const measuredTablesCommand: CommandSpec = {
  name: 'measured-tables',
  summary: 'measured Tables IV, V, VII from netperf + opreport logs, with the arithmetic',
  usage: TABLES_USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          netperf: { type: 'string', multiple: true },
          oprofile: { type: 'string', multiple: true },
          system: { type: 'string' },
          'clock-event': { type: 'string' },
          json: { type: 'boolean', default: false },
          help: { type: 'boolean', default: false },
        },
        // `--netperf a.txt b.txt`: the files after a flag are that flag's too
        allowPositionals: true,
        tokens: true,
      });
    } catch (e) {
      io.err(`rxlab measured-tables: ${e instanceof Error ? e.message : String(e)}\n${TABLES_USAGE}\n`);
      return 2;
    }
    const v = parsed.values;
    if (v.help) {
      io.out(`${TABLES_USAGE}\n`);
      return 0;
    }
    const files: string[] = [];
    let afterFileFlag = false;
    for (const t of parsed.tokens) {
      if (t.kind === 'option') {
        afterFileFlag = t.name === 'netperf' || t.name === 'oprofile';
        if (afterFileFlag && t.value !== undefined) files.push(t.value);
      } else if (t.kind === 'positional') {
        if (!afterFileFlag) {
          io.err(`rxlab measured-tables: "${t.value}" is not after --netperf or --oprofile\n${TABLES_USAGE}\n`);
          return 2;
        }
        files.push(t.value);
      }
    }
    if (files.length === 0) {
      io.err(`rxlab measured-tables: give at least one log (--netperf FILE or --oprofile FILE)\n${TABLES_USAGE}\n`);
      return 2;
    }
    try {
      const docs: NamedDoc[] = [];
      const seen = new Map<string, string>();
      for (const f of files) {
        try {
          const imp = await importFile(f, { signal: io.signal });
          // the same bytes twice (a file named twice, or a copy) would double n and narrow the interval
          const first = seen.get(imp.sha256);
          if (first !== undefined) {
            io.err(`warning: ${f} has the same bytes as ${first}: counted once\n`);
            continue;
          }
          seen.set(imp.sha256, f);
          docs.push({ ...imp.doc, fileName: basename(f) });
        } catch (e) {
          // a missing or unreadable file as `rxlab import` says it: FILE:1, exit 2
          if (!(e instanceof LogParseError) && (e as NodeJS.ErrnoException).code !== undefined) throw new LogParseError(f, 1, `cannot read: ${(e as Error).message}`);
          throw e;
        }
      }
      const t = measuredTables(inputsByTool(docs), { ...(v.system !== undefined ? { system: v.system } : {}), ...(v['clock-event'] !== undefined ? { clockEvent: v['clock-event'] } : {}) });
      if (v.json) io.out(`${JSON.stringify(t, null, 2)}\n`);
      else {
        for (const s of t.steps) io.out(`${s}\n`);
        for (const w of t.warnings) io.err(`warning: ${w}\n`);
      }
      return 0;
    } catch (e) {
      if (e instanceof LogParseError) {
        io.err(`${e.message}\n`);
        return 2;
      }
      throw e;
    }
  },
};

export const logCommands: CommandSpec[] = [importCommand, measuredTablesCommand];
