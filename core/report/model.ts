import { hostname, arch, release, type } from 'node:os';
import type { Cell, ImportedFileSummary, StoredRun } from '../contract/index.js';
import { collectRefs } from '../portable/refs.js';
import type { Db } from '../store/db.js';
import { listImports } from '../store/imports.js';
import { getNotebook } from '../store/notebooks.js';
import { getRuns } from '../store/runs.js';
import { APP_VERSION } from '../version.js';
import { buildSection, measuredSystem, type BuildContext } from './sections.js';
import type { Figure, ReportModel, ReportOptions } from './types.js';

/** Runs of imported files a cell references (an Import cell may keep only fileIds). */
function runsOfFiles(db: Db, fileIds: number[]): number[] {
  if (!fileIds.length) return [];
  const stmt = db.prepare('SELECT id FROM run WHERE imported_file_id = ? ORDER BY id').pluck();
  return fileIds.flatMap((f) => stmt.all(f) as number[]);
}

/** Reads a notebook and everything its cells point at, and lays it out as report sections. */
export function buildReportModel(db: Db, notebookId: number, opts: ReportOptions = {}): ReportModel {
  const nb = getNotebook(db, notebookId);
  const cellRunIds = new Map<string, number[]>();
  const all = new Set<number>();
  for (const cell of nb.cells) {
    const refs = collectRefs([cell.config, cell.output]);
    const ids = [...new Set([...refs.runIds, ...runsOfFiles(db, refs.fileIds)])];
    cellRunIds.set(cell.id, ids);
    ids.forEach((i) => all.add(i));
  }
  const runs = new Map<number, StoredRun>(getRuns(db, [...all]).map((r) => [r.id, r]));
  const fileIds = new Set([...runs.values()].map((r) => r.importedFileId).filter((x): x is number => x !== null));
  for (const cell of nb.cells) collectRefs([cell.config, cell.output]).fileIds.forEach((f) => fileIds.add(f));
  const files = new Map<number, ImportedFileSummary>(listImports(db).filter((f) => fileIds.has(f.id)).map((f) => [f.id, f]));
  const cellRuns = new Map<string, StoredRun[]>();
  for (const [cid, ids] of cellRunIds) cellRuns.set(cid, ids.map((i) => runs.get(i)).filter((r): r is StoredRun => !!r));

  const figures: Figure[] = [];
  const ctx: BuildContext = {
    cells: nb.cells,
    runs,
    files,
    cellRuns,
    addFigure: (f) => {
      const fig = { ...f, number: figures.length + 1 };
      figures.push(fig);
      return fig;
    },
  };
  const sections = nb.cells.map((c: Cell, i) => buildSection(c, i, ctx));
  const measuredSystems = new Map<number, string>();
  for (const c of nb.cells.filter((x) => x.kind === 'import')) {
    for (const r of cellRuns.get(c.id) ?? []) {
      const sys = r.kind === 'measured' ? measuredSystem(r, c, files) : null;
      if (sys !== null && !measuredSystems.has(r.id)) measuredSystems.set(r.id, sys);
    }
  }
  const modelVersions = [...new Set([...runs.values()].map((r) => r.provenance.modelVersion).filter((v): v is string => !!v))].sort();
  return {
    notebookId,
    title: nb.title,
    createdAt: nb.createdAt,
    updatedAt: nb.updatedAt,
    env: {
      appVersion: APP_VERSION,
      modelVersions,
      host: hostname(),
      os: `${type()} ${release()} ${arch()}`,
      node: process.versions.node,
      generatedAt: (opts.now ?? new Date()).toISOString(),
    },
    sections,
    figures,
    runs,
    files: [...files.values()],
    measuredSystems,
  };
}
