/**
 * The stored-runs browser's pure parts: what a row shows, and the notebook that "Compare in a new
 * notebook" creates from a selection. RunsView.svelte does the calls and the drawing.
 */
import type { CellKind, RunListRow } from '../../../core/contract/index.js';
import { compactIds } from '../../../core/contract/ids.js';
import { toMbps } from '../../../core/contract/units.js';
import { defaultConfig, newCellId } from './notebook.js';
import { fmt } from './stats.js';

export { compactIds };

/** A metric of a row as text: a simulated run's name first, then a measured record's (with its unit). */
export function shown(row: RunListRow, simName: string, measuredName: string): string {
  const sim = row.metrics[simName];
  if (sim) return fmt(sim.value);
  const m = row.metrics[measuredName];
  if (!m) return '—';
  return m.unit ? `${fmt(m.value)} ${m.unit}` : fmt(m.value);
}

/**
 * The throughput column: Mbit/s for every row (the list sorts on it), and a measured record's value as
 * its log printed it beside, when that unit is not Mbit/s already. A unit that cannot be converted is
 * shown as logged.
 */
export function shownThroughput(row: RunListRow): string {
  const sim = row.metrics['throughput_mbps'];
  if (sim) return fmt(sim.value);
  const m = row.metrics['throughput'];
  if (!m) return '—';
  const mbps = m.value === null || m.unit === null ? null : toMbps(m.value, m.unit);
  if (mbps === null) return m.unit ? `${fmt(m.value)} ${m.unit}` : fmt(m.value);
  return mbps === m.value ? fmt(mbps) : `${fmt(mbps)} (${fmt(m.value)} ${m.unit})`;
}

/** The label, with the log's file name when the label does not already start with it. */
export function rowLabel(row: RunListRow): string {
  if (row.fileName && row.label && !row.label.startsWith(row.fileName)) return `${row.label} (${row.fileName})`;
  return row.label ?? row.fileName ?? '';
}

export interface NewCell {
  id: string;
  kind: CellKind;
  config: Record<string, unknown>;
  stale: boolean;
}

/**
 * A notebook for a selection: a note saying where the runs came from, then a Compare cell with the
 * simulated runs by id and the imported logs by file id. A Compare cell reads measured data per log
 * (Tables IV, V and VII are built from whole netperf and opreport logs), so a selected record brings
 * its whole log; the note says so.
 */
export function compareNotebook(rows: readonly RunListRow[]): { title: string; cells: NewCell[] } {
  const sims = rows.filter((r) => r.kind === 'simulated').map((r) => r.id);
  const files = [...new Set(rows.flatMap((r) => (r.importedFileId === null ? [] : [r.importedFileId])))];
  const lines = [`# Compare ${rows.length} stored run${rows.length === 1 ? '' : 's'}`, ''];
  if (sims.length) lines.push(`- simulated runs ${compactIds(sims)}`);
  if (files.length) lines.push(`- imported logs ${compactIds(files)} (a Compare cell reads each log whole, so every record of these logs counts)`);
  lines.push('', 'Chosen in the stored-runs browser. Press **Run all** (or Ctrl+Enter on the Compare cell).');
  return {
    title: `Compare ${rows.length} stored run${rows.length === 1 ? '' : 's'}`,
    cells: [
      { id: newCellId(), kind: 'markdown', config: { source: lines.join('\n') }, stale: false },
      { id: newCellId(), kind: 'compare', config: { ...defaultConfig('compare'), runIds: compactIds(sims), fileIds: compactIds(files) }, stale: false },
    ],
  };
}
