import type { ImportedFileSummary, StoredRun } from '../contract/index.js';
import type { ChartSpec } from './svg.js';

/** The report as data: built from the store (model.ts), rendered to HTML (html.ts), exported as CSV/JSON (csv.ts). */

export type TableValue = string | number | null;

export interface TableData {
  id: string;
  title: string;
  columns: string[];
  rows: TableValue[][];
  /** Column indexes holding percentage deltas (rendered with a sign). */
  deltaColumns?: number[];
  /**
   * Delta columns that are errors against the paper, judged as the app judges them (Compare cell:
   * inside ±pct, within 10 %, beyond), and coloured by that; other deltas have no colour, as a sign
   * says nothing about fit.
   */
  tolerance?: { columns: number[]; pct: number };
  note?: string;
  /** Every column and row, for the table's CSV/JSON export, when the printed table shows only some of them. */
  full?: { columns: string[]; rows: TableValue[][] };
}

export interface Figure {
  id: string;
  /** 1-based figure number in the report. */
  number: number;
  title: string;
  caption: string;
  spec: ChartSpec;
  /** The data behind the figure (appendix, CSV). */
  data: TableData;
  runIds: number[];
}

export type Block =
  | { type: 'markdown'; html: string }
  | { type: 'table'; table: TableData }
  | { type: 'figure'; figure: Figure }
  | { type: 'note'; text: string }
  | { type: 'pre'; title: string; text: string };

export interface Section {
  cellId: string;
  kind: string;
  heading: string;
  stale: boolean;
  blocks: Block[];
  config: Record<string, unknown>;
  runIds: number[];
}

export interface ReportEnvironment {
  appVersion: string;
  modelVersions: string[];
  host: string;
  os: string;
  node: string;
  generatedAt: string;
}

export interface ReportModel {
  notebookId: number;
  title: string;
  createdAt: string;
  updatedAt: string;
  env: ReportEnvironment;
  sections: Section[];
  figures: Figure[];
  /** Every run referenced by the notebook, by id. */
  runs: Map<number, StoredRun>;
  files: ImportedFileSummary[];
  /** The testbed of each measured run an Import cell holds (its "Measured on"), by run id. */
  measuredSystems: Map<number, string>;
}

export interface ReportOptions {
  /** Leave cell configurations out entirely (default: printed with each cell). */
  omitConfig?: boolean;
  /** Rows of figure data shown in the appendix before it says "first N of M rows". */
  appendixRowLimit?: number;
  now?: Date;
}
