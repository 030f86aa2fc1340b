import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../cli-args.js';
import type { CommandSpec } from '../cli-types.js';
import { defaultDbPath } from '../paths.js';
import { backupIfDue, writeBackup } from './backup.js';
import { checkStoreFile, damageAdvice, DamagedStoreError, isCorruption, type StoreCheck } from './damage.js';
import { restoreBackup } from './restore.js';
import { salvageStore, type TableSalvage } from './salvage.js';

function tableLine(t: TableSalvage): string {
  const parts = [`${t.table}: ${t.copied.toLocaleString('en-US')} row(s) copied`];
  if (t.unreadable.length) parts.push(`unreadable: ${t.unreadable.join(', ')}`);
  if (t.rejected) parts.push(`${t.rejected} refused by the schema (first: ${t.firstRejection ?? '?'})`);
  return parts.join('; ');
}

export const dbCommand: CommandSpec = {
  name: 'db',
  summary: 'Check the database file for damage, copy every readable row of a damaged one into a new file, back it up, or go back to a backup',
  usage: `rxlab [--db FILE] db check [--quick] [--json]
rxlab [--db FILE] db salvage --out NEW.db [--json]
rxlab [--db FILE] db backup [--out FILE]
rxlab [--db FILE] db restore [--from BACKUP] [--force]

check    SQLite's integrity_check (--quick: quick_check, pages only) and the foreign-key check, read-only.
         Exit 0 when the file is sound, 1 when it is damaged.
salvage  Reads the damaged file read-only, table by table in key order, stepping over pages that cannot be
         read, and writes every readable notebook, cell, run, metric and imported log into NEW.db with the
         current schema. Cells of an unreadable notebook go to "Recovered notebook N"; a measured run whose
         raw log is unreadable keeps its values and the log's SHA-256. NEW.db must not exist; it appears only
         when the salvage is complete. Prints what was copied and which key ranges were lost, per table.
backup   A consistent copy of the whole database now (SQLite VACUUM INTO: one snapshot, compacted, one file),
         while the app may keep working; --out FILE must not exist yet. Without --out it becomes the
         newest automatic backup, FILE.backup (the one before moves to FILE.backup.1). The app itself takes
         one at start when the newest is older than a day and the file has passed its check
         (RXLAB_BACKUP_HOURS sets the interval, 0 = off).
restore  Goes back to a backup: the newest automatic one (FILE.backup, else FILE.backup.1) or --from BACKUP.
         The backup must pass integrity_check and have a schema this rxlab reads. The file it replaces is
         not deleted: it is renamed (with its -wal and -shm) to FILE-without-.db.replaced-DATE.db beside it.
         Close rxlab first: restore refuses while another rxlab has the file open. --force: go ahead when
         the file is too damaged to be opened for that check.`,
  async run(args, io) {
    const [verb, ...rest] = args;
    const file = resolve(io.dbPath ?? defaultDbPath());
    if (verb === 'check') {
      const { values } = parseArgs({ args: rest, options: { quick: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true });
      if (!existsSync(file)) throw new UsageError(`${file}: no such database`);
      let r: StoreCheck;
      try {
        r = checkStoreFile(file, { quick: values.quick ?? false });
      } catch (e) {
        io.err(`rxlab db check: ${file}: cannot be opened (${e instanceof Error ? e.message : String(e)})\n`);
        return 1;
      }
      if (values.json) io.out(`${JSON.stringify({ file, ...r })}\n`);
      else if (r.ok) io.out(`${file}: ok (${values.quick ? 'quick_check' : 'integrity_check'} and foreign keys)\n`);
      else {
        io.out(`${file}: DAMAGED\n`);
        for (const p of r.problems) io.out(`  ${p}\n`);
        for (const [t, n] of Object.entries(r.orphans)) io.out(`  ${t}: ${n} row(s) whose parent row is missing\n`);
        io.err(`${damageAdvice(file, { listCheck: false })}\n`);
      }
      return r.ok ? 0 : 1;
    }
    if (verb === 'salvage') {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
      if (!values.out) throw new UsageError('--out NEW.db is required');
      let last = Date.now();
      const report = salvageStore(file, values.out, {
        signal: io.signal,
        onTable: (t) => void (values.json ? undefined : io.err(`  ${tableLine(t)}\n`)),
        // a large store takes seconds per table: at most one line a second, as rxlab import does
        onRows: (t, n) => {
          if (Date.now() - last < 1000) return;
          last = Date.now();
          io.err(`  ${t}: ${n.toLocaleString('en-US')} rows copied…\n`);
        },
      });
      if (values.json) io.out(`${JSON.stringify(report)}\n`);
      else {
        for (const n of report.repaired) io.err(`  ${n}\n`);
        const lost = report.tables.some((t) => t.unreadable.length || t.rejected);
        io.out(`rxlab db salvage: wrote ${report.out} (integrity_check: ${report.check})${lost ? '; some rows could not be read, listed above' : '; every row was read'}\n`);
      }
      return 0;
    }
    if (verb === 'backup') {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } }, strict: true });
      if (!existsSync(file)) throw new UsageError(`${file}: no such database`);
      try {
        const b = values.out ? writeBackup(file, values.out) : backupIfDue(file, 0).backup;
        io.out(`rxlab db backup: wrote ${b?.file ?? '?'} (${((b?.bytes ?? 0) / 1048576).toFixed(1)} MiB)\n`);
        return 0;
      } catch (e) {
        if (!isCorruption(e)) throw e;
        io.err(`rxlab db backup: ${new DamagedStoreError(file, e).message}\n`);
        return 1;
      }
    }
    if (verb === 'restore') {
      const { values } = parseArgs({ args: rest, options: { from: { type: 'string' }, force: { type: 'boolean' } }, strict: true });
      try {
        const r = restoreBackup(file, { ...(values.from ? { from: values.from } : {}), force: values.force ?? false });
        io.out(`rxlab db restore: ${r.file} now holds the backup of ${r.fromAt} (${r.from})${r.keptAs ? `; the file it replaced is kept as ${r.keptAs}` : ''}\n`);
        return 0;
      } catch (e) {
        io.err(`rxlab db restore: ${e instanceof Error ? e.message : String(e)}. Nothing was changed.\n`);
        return 1;
      }
    }
    throw new UsageError(verb ? `unknown subcommand "${verb}" (check, salvage, backup or restore)` : 'check, salvage, backup or restore?');
  },
};
