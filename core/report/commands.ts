import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { numFlag, UsageError } from '../cli-args.js';
import type { CliIO, CommandSpec } from '../cli-types.js';
import { exportNotebook } from '../portable/export.js';
import { importNotebook, RxnbError } from '../portable/import.js';
import { Service } from '../service.js';
import { retryBusy } from '../store/busy.js';
import { createNotebook, getSummary, listNotebooks } from '../store/notebooks.js';
import { NOTEBOOK_TEMPLATES, TEMPLATE_TITLES } from '../contract/templates.js';
import { templateCells } from '../templates.js';
import { formatNotebookRun, NotebookRunError, runNotebookHeadless, type NotebookRun } from './notebook-run.js';
import { buildReportHtml, buildReportPdf } from './build.js';
import { resolveNotebook } from './resolve.js';
import { writeAtomic } from '../sweep/slurm.js';

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KiB`;
}

async function withService<T>(io: CliIO, fn: (s: Service) => Promise<T>): Promise<T> {
  const service = new Service({ dbPath: io.dbPath, host: 'cli' });
  try {
    return await fn(service);
  } finally {
    service.close();
  }
}

export const reportCommand: CommandSpec = {
  name: 'report',
  summary: 'Write a notebook as a PDF report (headless Chromium), or as one self-contained HTML file',
  usage: `rxlab report --notebook NAME|ID --out FILE.pdf [--html] [--omit-config]

  --notebook NAME|ID  the notebook, by id or exact title
  --out FILE          where to write the report
  --html              write the self-contained HTML instead of a PDF (no Chromium needed)
  --omit-config       leave cell configurations out (by default they are printed with each cell)

The PDF is printed by the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium).`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { notebook: { type: 'string' }, out: { type: 'string' }, html: { type: 'boolean' }, 'omit-config': { type: 'boolean' } }, strict: true });
    if (!values.notebook) throw new UsageError('--notebook NAME|ID is required');
    if (!values.out) throw new UsageError('--out FILE is required');
    const out = values.out;
    const opts = { omitConfig: values['omit-config'] ?? false };
    return withService(io, async (service) => {
      const id = resolveNotebook(service.db, values.notebook ?? '');
      if (values.html) {
        const html = await buildReportHtml(service, id, opts);
        writeAtomic(dirname(resolve(out)), basename(out), html);
        io.err(`rxlab report: wrote ${out} (HTML, ${kb(Buffer.byteLength(html))})\n`);
        return 0;
      }
      const r = await buildReportPdf(service, id, opts);
      writeAtomic(dirname(resolve(out)), basename(out), r.pdf);
      io.err(`rxlab report: wrote ${out} (PDF, ${kb(r.pdf.length)}, ${r.ms} ms, ${r.engine})\n`);
      return 0;
    });
  },
};

export const notebookCommand: CommandSpec = {
  name: 'notebook',
  summary: 'List the notebooks, create one (from a template), run one headless (Run all), export one to a portable .rxnb file, or import one',
  usage: `rxlab notebook list [--json]
rxlab notebook new [--template NAME] [--title TITLE]
rxlab notebook run --notebook NAME|ID [--report FILE.pdf] [--timeout MIN] [--json]
rxlab notebook export --notebook NAME|ID --out FILE.rxnb
rxlab notebook import FILE.rxnb

list: every notebook, most recently edited first: id, cells, last edit, title (the NAME|ID the other
commands and \`rxlab report\` take). --json prints the same as an array.

new: a notebook, empty or from a template (${NOTEBOOK_TEMPLATES.filter((t) => t !== 'blank').join(', ')}: the app's
"From template" menu), titled as the app titles it unless --title is given; prints its id.

run: the notebook's Run all, headless: the app itself in the system Chromium (CHROMIUM_PATH, default
/usr/bin/chromium) against this database, so every cell runs as it does in the app and its results
are saved with the notebook. Progress on stderr; stops at the first cell that fails, as Run all does,
and names it (exit 1). --report FILE.pdf then prints the report; --timeout MIN gives up after MIN
minutes (default 60); --json prints each cell's outcome.

.rxnb is JSON with sorted keys: the cells, the runs they reference (with provenance and metrics) and the
imported raw logs (base64, SHA-256 checked on import). Import creates a new notebook; runs get new ids.
--out - writes to standard output.`,
  async run(args, io) {
    const [verb, ...rest] = args;
    if (verb === 'list') {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true });
      return withService(io, async (service) => {
        const list = listNotebooks(service.db);
        if (values.json === true) io.out(`${JSON.stringify(list, null, 2)}\n`);
        else if (list.length === 0) io.out('no notebooks yet: `rxlab serve` or `npm start` opens the app, or `rxlab notebook import FILE.rxnb`\n');
        else for (const n of list) io.out(`${String(n.id).padStart(4)}  ${String(n.cellCount).padStart(3)} cells  ${n.updatedAt.slice(0, 16).replace('T', ' ')}  ${n.title}\n`);
        return 0;
      });
    }
    if (verb === 'new') {
      const { values } = parseArgs({ args: rest, options: { template: { type: 'string' }, title: { type: 'string' } }, strict: true });
      const template = values.template ?? 'blank';
      if (!(NOTEBOOK_TEMPLATES as readonly string[]).includes(template)) throw new UsageError(`--template: expected one of ${NOTEBOOK_TEMPLATES.join(', ')}, got "${template}"`);
      const t = template as (typeof NOTEBOOK_TEMPLATES)[number];
      const title = (values.title ?? (t === 'blank' ? 'Untitled notebook' : TEMPLATE_TITLES[t])).trim();
      if (title === '' || title.length > 200) throw new UsageError('--title: 1 to 200 characters');
      return withService(io, async (service) => {
        const nb = await retryBusy(() => createNotebook(service.db, title, templateCells(t)), { signal: io.signal });
        io.out(`created notebook ${nb.id} "${nb.title}" (${nb.cells.length} cells)\n`);
        return 0;
      });
    }
    if (verb === 'run') {
      const { values } = parseArgs({ args: rest, options: { notebook: { type: 'string' }, report: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
      if (!values.notebook) throw new UsageError('--notebook NAME|ID is required');
      const minutes = numFlag('timeout', values.timeout, 60, 0.01, 24 * 60);
      // found out now, not after the whole run
      if (values.report !== undefined && !existsSync(dirname(resolve(values.report)))) throw new UsageError(`--report: the folder ${dirname(resolve(values.report))} does not exist`);
      const service = new Service({ dbPath: io.dbPath, host: 'browser' });
      try {
        const id = resolveNotebook(service.db, values.notebook);
        const title = getSummary(service.db, id).title;
        let r: NotebookRun;
        try {
          r = await runNotebookHeadless(service, id, { signal: io.signal, timeoutMs: minutes * 60_000, onProgress: (line) => io.err(`  ${line}\n`) });
        } catch (e) {
          if (!(e instanceof NotebookRunError)) throw e;
          io.err(`rxlab notebook run: ${title}: ${e.message}\n`);
          return io.signal.aborted ? 130 : 1;
        }
        io.out(values.json === true ? `${JSON.stringify({ notebook: id, title, ...r }, null, 2)}\n` : formatNotebookRun(title, id, r));
        const failed = r.cells.find((c) => c.state === 'failed');
        if (failed !== undefined) {
          io.err(`rxlab notebook run: cell ${failed.index} (${failed.kind}) failed: ${failed.message ?? '?'}${values.report ? '; no report written' : ''}\n`);
          return 1;
        }
        if (!r.saved) {
          io.err(`rxlab notebook run: the results were not saved: ${r.saveState}\n`);
          return 1;
        }
        if (values.report) {
          const pdf = await buildReportPdf(service, id, { omitConfig: false });
          writeAtomic(dirname(resolve(values.report)), basename(values.report), pdf.pdf);
          io.err(`rxlab notebook run: wrote ${values.report} (PDF, ${kb(pdf.pdf.length)})\n`);
        }
        return 0;
      } finally {
        service.close();
      }
    }
    if (verb === 'export') {
      const { values } = parseArgs({ args: rest, options: { notebook: { type: 'string' }, out: { type: 'string' } }, strict: true });
      if (!values.notebook) throw new UsageError('--notebook NAME|ID is required');
      if (!values.out) throw new UsageError('--out FILE.rxnb is required');
      const out = values.out;
      return withService(io, async (service) => {
        const text = exportNotebook(service.db, resolveNotebook(service.db, values.notebook ?? ''));
        if (out === '-') io.out(text);
        else {
          // whole or not at all: an interrupted export never leaves a cut-off .rxnb under the name asked for
          writeAtomic(dirname(resolve(out)), basename(out), text);
          io.err(`rxlab notebook export: wrote ${out} (${kb(Buffer.byteLength(text))})\n`);
        }
        return 0;
      });
    }
    if (verb === 'import') {
      const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new UsageError('expected exactly one FILE.rxnb');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`${file}: cannot read: ${(e as Error).message}`);
      }
      return withService(io, async (service) => {
        let r: ReturnType<typeof importNotebook>;
        try {
          // one transaction that writes nothing when it cannot start: wait out another rxlab's write
          r = await retryBusy(() => importNotebook(service.db, text), { signal: io.signal });
        } catch (e) {
          if (!(e instanceof RxnbError)) throw e;
          io.err(`rxlab notebook import: ${file}: ${e.message}\n`);
          return 2;
        }
        io.out(`imported notebook ${r.notebook.id} "${r.notebook.title}": ${r.notebook.cells.length} cells, ${r.runIds.size} runs (${r.reusedRuns} already here), ${r.fileIds.size} files (${r.reusedFiles} already here)\n`);
        for (const ps of r.parameterSets) io.out(ps.renamedFrom === undefined ? `  parameter set "${ps.name}" added\n` : `  parameter set "${ps.renamedFrom}" added as "${ps.name}": one of that name with other values is here already; the cells use the imported one\n`);
        if (r.droppedCacheKeys > 0) io.err(`rxlab notebook import: ${r.droppedCacheKeys} simulated run(s) carried a cache key that is not their own (edited?): stored without it, so sweeps simulate those points again\n`);
        return 0;
      });
    }
    throw new UsageError(`expected "list", "new", "run", "export" or "import", got ${verb ? `"${verb}"` : 'nothing'}`);
  },
};

/** For core/commands.ts: `commandModules.push(...reportCommands)`. */
export const reportCommands: CommandSpec[] = [reportCommand, notebookCommand];
