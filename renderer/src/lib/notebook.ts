/**
 * The notebook's cell model in the renderer: kinds, default configs, compact outputs, dependencies
 * (what goes stale when an input changes) and the undo history. Pure functions, unit-tested.
 */
import type { CellKind, CrossValidationOutcome, KnobAxisSpec, MorrisOutcome, ParamsCalibration, ProfileOutcome, SensitivityOutcome } from '../../../core/contract/index.js';
import type { Interval } from './stats.js';
import type { SimGroupOverTime } from '../../../core/contract/sim-over-time.js';
import type { Difference } from '../../../core/contract/welch.js';

export const KIND_LABEL: Record<CellKind, string> = {
  markdown: 'Markdown',
  simulation: 'Simulation',
  sweep: 'Sweep',
  import: 'Import',
  compare: 'Compare',
  plot: 'Plot',
};
export const KINDS: CellKind[] = ['markdown', 'simulation', 'sweep', 'import', 'compare', 'plot'];
export const SYSTEMS = ['Linux', 'Xen', 'LRO', 'BO', 'DA'] as const;
export type System = (typeof SYSTEMS)[number];

export interface UiCell {
  id: string;
  kind: CellKind;
  config: Record<string, unknown>;
  output: unknown;
  stale: boolean;
}

/** What every result keeps about where it came from (issue 5 §5). */
export interface ProvSummary {
  appVersion: string | null;
  modelVersion: string | null;
  parameters: Record<string, unknown> | null;
  seeds: number[];
  inputSha256: string | null;
  createdAt: string | null;
}

export interface FnShare {
  domain: string;
  function: string;
  share: number;
}

export interface SimGroup {
  system: string;
  workload: string;
  runIds: number[];
  metrics: Record<string, Interval>;
  functions: FnShare[];
  provenance: ProvSummary;
  /** The seeds over time, averaged (runs with trace_ms > 0 only). */
  overTime?: SimGroupOverTime;
}
export interface SimOutput {
  runIds: number[];
  groups: SimGroup[];
  cached: number;
  ranAt: string;
  set: Record<string, unknown>;
}

export interface SweepOutputPoint {
  values: Record<string, string | number | boolean>;
  runIds: number[];
  metrics: Record<string, Interval>;
}
export interface SweepOutput {
  system: string;
  workload: string;
  vary: string[];
  seeds: number;
  points: SweepOutputPoint[];
  cachedRuns: number;
  modelVersion: string;
  /** The varied knobs' units and meanings, for the x-axis title; absent in sweeps saved before it was (bare name). */
  varySpecs?: Record<string, KnobAxisSpec>;
  ranAt: string;
  set: Record<string, unknown>;
  cancelled?: boolean;
  /** The Slurm job that simulated the runs that were missing (Run on: Slurm). */
  slurm?: { job: string; runs: number; folder: string };
}

export interface ImportedEntry {
  fileId: number;
  fileName: string;
  sha256: string;
  tool: string;
  format: string;
  parserVersion: string;
  sizeBytes: number;
  importedAt: string;
  duplicate: boolean;
  runIds: number[];
  warnings: string[];
  /** The parsed document, trimmed: records as parsed, profiles with their top rows. */
  document: unknown;
}
export interface ImportOutput {
  files: ImportedEntry[];
}

export interface CompareRow {
  system: string;
  label: string;
  paper: number | null;
  sim: Interval | null;
  measured: Interval | null;
  dSim: number | null;
  dMeasured: number | null;
  /** Simulated against measured, with the Welch 95 % interval (absent in cells saved before it existed). */
  simVsMeasured?: Difference | null;
}
export interface CompareTable {
  id: 'IV' | 'V' | 'VI' | 'VII';
  title: string;
  unit: string;
  rows: CompareRow[];
}
export interface ProfileCompare {
  simSystem: string;
  measuredFile: string;
  domains: { domain: string; measuredPct: number | null; simulatedPct: number | null }[];
  functions: { name: string; domain: string; measuredPct: number | null; simulatedPct: number | null }[];
}
export interface CompareOutput {
  tables: CompareTable[];
  measuredSystem: string;
  measuredNote: string;
  /** The backend's warnings about the measured column (a Table V left empty, profiles paired by assumption), shown above the tables. */
  measuredWarnings?: string[];
  arithmetic: string[];
  profile: ProfileCompare | null;
  inputs: string[];
  provenance: ProvSummary[];
  ranAt: string;
  /** The imported files behind each system's measured row (what "Fit the model…" fits to); absent in older outputs. */
  measuredSources?: { system: string; fileIds: number[] }[];
  /** The last "Fit the model to these measurements" of these rows (dropped when the cell runs again). */
  fit?: ParamsCalibration;
  /** The last "Which knob moves which cell" of this cell (kept until the cell runs again). */
  sensitivity?: SensitivityOutcome | MorrisOutcome;
  /** The last "How well does it predict what it was not fitted on" (kept until the cell runs again). */
  cross_validation?: CrossValidationOutcome;
  /** The last "How firmly do the tables hold each cost" (kept until the cell runs again; `profile` is the opreport comparison). */
  objective_profile?: ProfileOutcome;
}

export interface PlotSeries {
  name: string;
  x: (number | string)[];
  y: number[];
  err: (number | null)[];
  /** The paper's measurements at these x (drawn as reference markers or grey bars). */
  paper?: boolean;
  /** Runs from the Import cells above at these x (drawn as markers with their 95 % interval). */
  measured?: boolean;
}
export interface PlotOutput {
  series: PlotSeries[];
  xLabel: string;
  /** The x knob's unit and meaning when x is a knob of a sweep (its axis then reads as the sweep's); absent otherwise. */
  varySpecs?: Record<string, KnobAxisSpec>;
  yLabel: string;
  sourceCellId: string | null;
  ranAt: string;
}

export function newCellId(): string {
  return crypto.randomUUID();
}

export function defaultConfig(kind: CellKind): Record<string, unknown> {
  switch (kind) {
    case 'markdown':
      return { source: '' };
    case 'simulation':
      return { systems: ['DA'], workload: 'stream', seeds: 3, set: {} };
    case 'sweep':
      return { system: 'LRO', workload: 'stream', vary: [{ key: 'flush_every_polls', from: 1, to: 4, step: 1 }], seeds: 3, set: {} };
    case 'import':
      return {};
    case 'compare':
      return { sources: 'all', measuredSystem: 'Xen', chart: 'IV' };
    case 'plot':
      return { source: 'previous', x: '', y: 'throughput_mbps' };
  }
}

export function newCell(kind: CellKind): UiCell {
  return { id: newCellId(), kind, config: defaultConfig(kind), output: null, stale: false };
}

/** Where a cell keeps what it held as another kind (M / Y and back), in its config so that it is saved. */
export const OTHER_KINDS_KEY = 'otherKinds';

/** The config keys Simulation and Sweep cells share (a Sweep's one system is a Simulation's first). */
const SHARED_KEYS = ['workload', 'seeds', 'set', 'parameterSet', 'on', 'sbatch'] as const;

/**
 * Switching kind (M / Y keys) discards no configuration: the cell keeps what it was set to as its old kind
 * (a note's text, a Simulation's systems and knobs) and gets it back when switched back, as Jupyter keeps a
 * cell's source. A kind it never was starts from its defaults, with what Simulation and Sweep share
 * (workload, seeds, knobs, system) carried over. Results are dropped, as in Jupyter: they belong to the old
 * kind's run (and stay in the store), and the new kind has not run.
 */
export function switchKind(cell: UiCell, kind: CellKind): UiCell {
  if (cell.kind === kind) return cell;
  const { [OTHER_KINDS_KEY]: keptRaw, ...own } = cell.config;
  const kept = isRecord(keptRaw) ? keptRaw : {};
  const { [kind]: back, ...others } = kept;
  const stash = { ...others, [cell.kind]: own };
  if (isRecord(back)) return { id: cell.id, kind, config: { ...back, [OTHER_KINDS_KEY]: stash }, output: null, stale: false };
  const config = defaultConfig(kind);
  const both = (k: CellKind): boolean => k === 'simulation' || k === 'sweep';
  if (both(cell.kind) && both(kind)) {
    for (const k of SHARED_KEYS) if (k in own) config[k] = structuredClone(own[k]);
    const systems = own['systems'];
    if (kind === 'sweep' && Array.isArray(systems) && typeof systems[0] === 'string') config['system'] = systems[0];
    if (kind === 'simulation' && typeof own['system'] === 'string') config['systems'] = [own['system']];
  }
  return { id: cell.id, kind, config: { ...config, [OTHER_KINDS_KEY]: stash }, output: null, stale: false };
}
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export const INPUT_KINDS: readonly CellKind[] = ['simulation', 'sweep', 'import'];
export const DERIVED_KINDS: readonly CellKind[] = ['compare', 'plot'];

/**
 * Config keys that choose how a result is shown or where it runs, not what it is (the cells set them
 * through the view path of NotebookView's setConfig): changing them, or undoing a change to them, makes
 * nothing stale. What a cell held as another kind (OTHER_KINDS_KEY) is not its settings either.
 */
export const VIEW_KEYS: Readonly<Partial<Record<CellKind, readonly string[]>>> = { simulation: ['overTimeView'], sweep: ['y', 'on', 'sbatch'], compare: ['chart'] };
export const isViewKey = (kind: CellKind, key: string): boolean => key === OTHER_KINDS_KEY || (VIEW_KEYS[kind] ?? []).includes(key);
/** The part of a cell's config its result depends on. */
function resultConfig(c: UiCell): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c.config).filter(([k]) => !isViewKey(c.kind, k)));
}

/**
 * A copy of a cell under a new id, with its configuration and results (a run's results carry their own
 * provenance, so they stay true wherever the copy lands). A Compare or Plot copy is stale: what it
 * takes as input depends on the cells above its new place.
 */
export function copyCell(cell: UiCell): UiCell {
  const output = cell.output ?? null;
  return { id: newCellId(), kind: cell.kind, config: structuredClone(cell.config), output, stale: DERIVED_KINDS.includes(cell.kind) ? output !== null : cell.stale };
}

/** The input cells a derived cell reads: Compare reads every input above it; Plot one source. */
export function dependencies(cells: readonly UiCell[], index: number): string[] {
  const cell = cells[index];
  if (!cell) return [];
  const above = cells.slice(0, index);
  if (cell.kind === 'compare') {
    const exclude = new Set(Array.isArray(cell.config['exclude']) ? (cell.config['exclude'] as string[]) : []);
    return above.filter((c) => (c.kind === 'simulation' || c.kind === 'import') && !exclude.has(c.id)).map((c) => c.id);
  }
  if (cell.kind === 'plot') {
    // its source, and the Import cells above, whose runs it may set beside the source's
    const src = plotSource(cells, index);
    return [...(src ? [src.id] : []), ...(src?.kind === 'sweep' ? above.filter((c) => c.kind === 'import').map((c) => c.id) : [])];
  }
  return [];
}

/** A Plot cell's source: a named cell id, or the nearest Simulation/Sweep cell above ("previous"). */
export function plotSource(cells: readonly UiCell[], index: number): UiCell | undefined {
  const cell = cells[index];
  if (!cell) return undefined;
  const source = cell.config['source'];
  if (typeof source === 'string' && source !== 'previous') return cells.find((c) => c.id === source);
  for (let i = index - 1; i >= 0; i--) {
    const c = cells[i];
    if (c && (c.kind === 'sweep' || c.kind === 'simulation')) return c;
  }
  return undefined;
}

/**
 * Marks stale every derived cell that depends on the changed input cell and already has output.
 * Returns a new array (cells that do not change keep their identity).
 */
export function markDependentsStale(cells: readonly UiCell[], changedId: string): UiCell[] {
  return cells.map((c, i) => {
    if (!DERIVED_KINDS.includes(c.kind) || c.stale || c.output === null || c.output === undefined) return c;
    return dependencies(cells, i).includes(changedId) ? { ...c, stale: true } : c;
  });
}

/** One undo step: the cells before a change, and which cell it changed (selected again when it is undone or redone). */
export interface HistoryStep {
  cells: UiCell[];
  /** The cell the change was about (inserted, deleted, moved, edited), or null (several, or the whole notebook). */
  cellId: string | null;
  /** The coalesce key of the change (`cfg:<cell id>:<keys>` for an edit of a cell's fields), or null. */
  key: string | null;
}
interface StoredStep {
  cells: string;
  cellId: string | null;
  key: string | null;
}

/** Undo history of whole-notebook snapshots (cell edits, inserts, deletions, moves). */
export class History {
  private stack: StoredStep[] = [];
  private redoStack: StoredStep[] = [];
  private lastKey: string | null = null;
  private lastAt = 0;
  constructor(private readonly limit = 200) {}

  /**
   * Records the state before a change. Consecutive edits with the same coalesce key within
   * `windowMs` (typing in one field) collapse into one undo step.
   */
  push(cells: readonly UiCell[], coalesceKey: string | null = null, now = Date.now(), windowMs = 1000, cellId: string | null = null): void {
    if (coalesceKey !== null && coalesceKey === this.lastKey && now - this.lastAt < windowMs) {
      this.lastAt = now;
      return;
    }
    this.stack.push({ cells: JSON.stringify(cells), cellId, key: coalesceKey });
    if (this.stack.length > this.limit) this.stack.shift();
    this.redoStack = []; // a new edit forks the history: what was undone can no longer be redone
    this.lastKey = coalesceKey;
    this.lastAt = now;
  }

  /** The state before the last change; `current` is kept so redo() can bring it back. */
  undo(current: readonly UiCell[]): HistoryStep | null {
    return this.step(this.stack, this.redoStack, current);
  }

  /** The state the last undo() left; `current` goes back on the undo stack. */
  redo(current: readonly UiCell[]): HistoryStep | null {
    return this.step(this.redoStack, this.stack, current);
  }

  /** What undo() would undo next (its cell and key), without undoing it. */
  get nextUndo(): Omit<HistoryStep, 'cells'> | null {
    const s = this.stack.at(-1);
    return s ? { cellId: s.cellId, key: s.key } : null;
  }

  /** What redo() would redo next. */
  get nextRedo(): Omit<HistoryStep, 'cells'> | null {
    const s = this.redoStack.at(-1);
    return s ? { cellId: s.cellId, key: s.key } : null;
  }

  private step(from: StoredStep[], to: StoredStep[], current: readonly UiCell[]): HistoryStep | null {
    const s = from.pop();
    this.lastKey = null;
    if (s === undefined) return null;
    to.push({ cells: JSON.stringify(current), cellId: s.cellId, key: s.key });
    return { cells: JSON.parse(s.cells) as UiCell[], cellId: s.cellId, key: s.key };
  }

  get size(): number {
    return this.stack.length;
  }

  get redoSize(): number {
    return this.redoStack.length;
  }
}

const sameJson = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The cells an undo or redo brings back (`restored`, a snapshot) merged with what they hold now (`current`):
 * configuration, Markdown and order come from the snapshot, results stay as they are now, since a result
 * is not an edit (a run after the snapshot must not vanish with an unrelated undo). An Import cell's files
 * are what the user put there (adding and removing one are undo steps), so they come from the snapshot.
 *
 * Staleness: a cell whose result (and, for Compare/Plot, whose inputs' results) are still those of the
 * snapshot takes the snapshot's flag, which was true of that state; any other cell with a result is stale
 * if its configuration changes, or (Compare/Plot) if the configuration or files of a cell it reads change.
 * Cells the snapshot has and `current` lacks (an undone deletion) come back as they were.
 */
export function restoreCells(current: readonly UiCell[], restored: readonly UiCell[]): UiCell[] {
  const now = new Map(current.map((c) => [c.id, c]));
  const merged = restored.map((r): UiCell => {
    const c = now.get(r.id);
    if (!c || c.kind !== r.kind || r.kind === 'import') return r;
    return { ...r, output: c.output };
  });
  const snap = new Map(restored.map((r) => [r.id, r]));
  const keptResult = (m: UiCell): boolean => sameJson(m.output, snap.get(m.id)?.output);
  const inputChanged = (id: string): boolean => {
    const c = now.get(id);
    const r = snap.get(id);
    return !c || !r || !sameJson(resultConfig(c), resultConfig(r)) || (r.kind === 'import' && !sameJson(c.output, r.output));
  };
  return merged.map((m, i) => {
    const c = now.get(m.id);
    if (!c || m.kind === 'import') return m;
    const deps = DERIVED_KINDS.includes(m.kind) ? dependencies(merged, i) : [];
    const consistent = keptResult(m) && deps.every((d) => { const x = merged.find((y) => y.id === d); return !x || keptResult(x); });
    if (consistent) return m;
    const hasResult = m.output !== null && m.output !== undefined && m.kind !== 'markdown';
    const stale = c.stale || (hasResult && (!sameJson(resultConfig(c), resultConfig(m)) || deps.some(inputChanged)));
    return stale === m.stale ? m : { ...m, stale };
  });
}

/** A free title for a new notebook: "Untitled notebook", else the first "Untitled notebook N" (N ≥ 2) not taken. */
export function untitledName(taken: Iterable<string>, base = 'Untitled notebook'): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** Stored cells as the notebook view holds them (the store's updatedAt is not kept). */
export function toUiCells(stored: readonly { id: string; kind: CellKind; config: Record<string, unknown>; output?: unknown; stale: boolean }[]): UiCell[] {
  return stored.map((c) => ({ id: c.id, kind: c.kind, config: c.config, output: c.output ?? null, stale: c.stale }));
}

export function toSave(cells: readonly UiCell[]): { id: string; kind: CellKind; config: Record<string, unknown>; output: unknown; stale: boolean }[] {
  return cells.map((c) => ({ id: c.id, kind: c.kind, config: c.config, output: c.output ?? null, stale: c.stale }));
}

/** A cell's knob settings (`set`), or none when what is stored is not an object (a hand-edited .rxnb). */
export function knobSetOf(config: Record<string, unknown>): Record<string, unknown> {
  const s = config['set'];
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
}

/** A Sweep cell's varied knobs (`vary`), leaving out entries that are not { key, … } (a hand-edited .rxnb). */
export function varyOf<V extends { key: string }>(config: Record<string, unknown>): V[] {
  const v = config['vary'];
  return Array.isArray(v) ? (v as unknown[]).filter((x): x is V => x !== null && typeof x === 'object' && typeof (x as { key?: unknown }).key === 'string') : [];
}

/**
 * The model versions a cell's saved result was simulated with (Simulation: each group's provenance;
 * Sweep: its own; Compare: the runs it compared), so the notebook can say when they are not this
 * build's. Read leniently: a saved result may be from another build or hand-edited.
 */
export function modelVersionsOf(cell: UiCell): string[] {
  const o = cell.output;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return [];
  const out = o as Record<string, unknown>;
  const found: unknown[] = [];
  const provOf = (p: unknown): unknown => (p !== null && typeof p === 'object' ? (p as Record<string, unknown>)['modelVersion'] : undefined);
  if (cell.kind === 'simulation' && Array.isArray(out['groups'])) for (const g of out['groups']) found.push(provOf(g !== null && typeof g === 'object' ? (g as Record<string, unknown>)['provenance'] : undefined));
  if (cell.kind === 'sweep') found.push(out['modelVersion']);
  if (cell.kind === 'compare' && Array.isArray(out['provenance'])) for (const p of out['provenance']) found.push(provOf(p));
  return [...new Set(found.filter((v): v is string => typeof v === 'string' && v !== ''))];
}
