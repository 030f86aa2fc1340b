/**
 * The one typed API contract of rxlab: method → zod request schema (schemas.ts) → result type (Outputs).
 * Served by Electron IPC (electron/ipc.ts), HTTP in browser mode (core/server.ts) and direct calls
 * (core/cli.ts, tests) — all through core/service.ts. The renderer imports only types from here.
 */
import type {
  AppInfo,
  ImportedFileSummary,
  ImportOutcome,
  Notebook,
  NotebookSummary,
  SimRunOutcome,
  SweepOutcome,
  KnobSpec,
  ParameterSetSummary,
  ParamsCalibration,
  ReproduceOutcome,
  SensitivityOutcome,
  MorrisOutcome,
  CrossValidationOutcome,
  ProfileOutcome,
  RunQueryPage,
  StoredRun,
  StoreHealth,
  StoreRestore,
  StoreSalvage,
} from './types.js';
import type { PaperTables } from '../reference/paper.js';
import type { MeasuredTables } from '../logs/measured/tables.js';

export * from './schemas.js';
export * from './types.js';

export interface Outputs {
  'app.info': AppInfo;
  'notebook.list': NotebookSummary[];
  'notebook.create': Notebook;
  'notebook.get': Notebook;
  'notebook.rename': NotebookSummary;
  'notebook.duplicate': Notebook;
  'notebook.delete': { id: number };
  'notebook.restore': NotebookSummary;
  'notebook.save': { id: number; savedAt: string; cellCount: number; revision: number };
  'sim.run': SimRunOutcome;
  /** What `rxlab reproduce --json` prints: Tables IV–VII simulated beside the paper, findings, misfits. */
  'sim.reproduce': ReproduceOutcome;
  'log.import': ImportOutcome;
  'sweep.run': SweepOutcome;
  /** Measured Tables IV, V and VII from imported files, with the arithmetic shown (core/logs/measured). */
  'measured.tables': MeasuredTables;
  'runs.get': StoredRun[];
  'runs.list': StoredRun[];
  /** The stored-runs browser: one filtered, sorted page, counted and read off the calling thread. */
  'runs.query': RunQueryPage;
  'imports.list': ImportedFileSummary[];
  /** A stored import as log.import answers it (first runs in the document, every run id): to add it to an Import cell. */
  'imports.get': ImportOutcome;
  'reference.paper': PaperTables;
  'sim.knobs': KnobSpec[];
  /** The portable .rxnb text (JSON, sorted keys). */
  'notebook.export': { fileName: string; text: string };
  'notebook.import': Notebook;
  'params.list': ParameterSetSummary[];
  /** Removes a named parameter set (runs simulated from it keep its parameters in their provenance). */
  'params.delete': { name: string };
  /** The model fitted to measured Tables IV, V, VII of your logs (per system), saved as a named parameter set. */
  'params.calibrate': ParamsCalibration;
  /** Which fitted multiplier moves which cell, and what closing each misfit would cost the others (the paper's or your measured tables). */
  'sim.sensitivity': SensitivityOutcome | MorrisOutcome;
  /** How well the calibration predicts cells it was not fitted on: the fit re-run without each system (or table), in sample beside held out. */
  'sim.crossValidate': CrossValidationOutcome;
  /** How firmly the tables hold each fitted multiplier: the calibration objective along it, the others refitted. */
  'sim.profile': ProfileOutcome;
  /** The Slurm commands on PATH (null: missing), for the Sweep cell's "Run on Slurm". */
  'slurm.status': { sbatch: string | null; squeue: string | null; scancel: string | null };
  /** SQLite's integrity or quick check of the database file, off the calling thread. */
  'store.check': StoreHealth;
  /** Salvage of a damaged store into NAME.salvaged-DATE.db beside it, off the calling thread; the store itself is only read. */
  'store.salvage': StoreSalvage;
  /**
   * Back to the newest backup (the damaged-store banner's button): the service closes its connection,
   * a worker checks the backup and swaps the files (the replaced file is kept), and the store reopens.
   */
  'store.restore': StoreRestore;
  'job.cancel': { cancelled: boolean };
}
export type { PaperTables, MeasuredTables };
