import { z } from 'zod';
import { CELL_KINDS, jsonDepth, MAX_CONFIG_DEPTH } from '../contract/schemas.js';

/**
 * The portable notebook file (.rxnb): one JSON document with sorted keys and 2-space indent, so the
 * same notebook always gives the same bytes and a change shows as a small git diff.
 *
 * Ids inside it are file-local: runs and imported files are numbered 1..n (`ref`) in order of first use,
 * and every id reference in cell configs/outputs (see refs.ts) is rewritten to those refs on export and to
 * fresh database ids on import. Raw log bytes travel as base64 with their SHA-256, which import checks.
 *
 * Version 3 (this one) carries the named parameter sets its cells run from (`parameterSets`; a set
 * whose name is taken here by other values is imported under a new name, and the cells follow), and
 * id text as references too: the Compare cell keeps its "Stored runs"
 * and "Imported files" fields as text ("21-22", "Xen: 3; LRO: 5"), and version 2 exported that text
 * unchanged — ids of the database it came from, which named other runs, or none, after import. Import
 * reads version 2 and 1 as before (their id text is left as it was).
 *
 * Version 2 halves the size of version 1, which import still reads:
 * - each run is printed on one line (compact, sorted keys) instead of one line per field;
 * - an imported file whose records are carried by its runs (one run per record, `parameters.index`
 *   0…n−1, `detail` = the record: how rxlab stores them, migration 0003) has `recordCount` = n and
 *   `document.records` = [] instead of every record a second time.
 */
export const RXNB_FORMAT = 'rxnb';
export const RXNB_VERSION = 3;

/**
 * The store's cache key of a simulated run that came in a .rxnb is its key behind this prefix: a
 * later import finds it, a sweep never serves it as a stored point (its numbers were not simulated
 * here, and a hand-edited file could carry any). The key is exported without the prefix.
 */
export const IMPORTED_KEY = 'rxnb:';

const json = z.unknown();

export const rxnbFile = z.object({
  ref: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  fileName: z.string().min(1),
  sizeBytes: z.number().int().nonnegative(),
  tool: z.string(),
  format: z.string(),
  parserVersion: z.string(),
  warnings: z.array(z.string()),
  document: json,
  importedAt: z.string(),
  bytesBase64: z.string(),
  /** Version 2: the file's records are the details of its runs (see above), not in `document`. */
  recordCount: z.number().int().positive().optional(),
});

export const rxnbRun = z.object({
  ref: z.number().int().positive(),
  kind: z.enum(['simulated', 'measured']),
  system: z.string().nullable(),
  workload: z.string().nullable(),
  label: z.string().nullable(),
  parameters: z.record(z.string(), json),
  seed: z.number().int().nullable(),
  appVersion: z.string(),
  modelVersion: z.string().nullable(),
  inputSha256: z.string().nullable(),
  fileRef: z.number().int().positive().nullable(),
  cacheKey: z.string().nullable(),
  detail: json,
  createdAt: z.string(),
  metrics: z.record(z.string(), z.number().nullable()),
  units: z.record(z.string(), z.string()),
});

export const rxnbCell = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  kind: z.enum(CELL_KINDS),
  // as the API's cellInput: deeper than this, SQLite's json_valid CHECK failed with no cell named
  config: z.record(z.string(), json).refine((c) => jsonDepth(c, MAX_CONFIG_DEPTH) <= MAX_CONFIG_DEPTH, { message: `nested more than ${MAX_CONFIG_DEPTH} levels deep` }),
  output: json.refine((o) => jsonDepth(o, MAX_CONFIG_DEPTH) <= MAX_CONFIG_DEPTH, { message: `nested more than ${MAX_CONFIG_DEPTH} levels deep` }),
  stale: z.boolean(),
  updatedAt: z.string(),
});

/** Version 3: a named parameter set a cell runs from (config `parameterSet`), so the notebook runs elsewhere. */
export const rxnbParameterSet = z.object({
  name: z.string().trim().min(1).max(100),
  params: z.record(z.string(), json),
  report: json,
  modelVersion: z.string(),
  createdAt: z.string(),
});

export const rxnbDoc = z.object({
  format: z.literal(RXNB_FORMAT),
  version: z.number().int(),
  app: z.object({ name: z.string(), version: z.string() }),
  notebook: z.object({
    title: z.string().trim().min(1).max(200),
    createdAt: z.string(),
    updatedAt: z.string(),
    cells: z.array(rxnbCell).max(5000),
  }),
  files: z.array(rxnbFile),
  runs: z.array(rxnbRun),
  parameterSets: z.array(rxnbParameterSet).optional(),
  warnings: z.array(z.string()).optional(),
});

export type RxnbDoc = z.infer<typeof rxnbDoc>;
export type RxnbRun = z.infer<typeof rxnbRun>;
export type RxnbFile = z.infer<typeof rxnbFile>;
