/**
 * How cell configs and outputs point at stored results. The notebook UI keeps only compact outputs
 * (run ids + summary numbers); the report and the .rxnb export must find those ids in JSON whose exact
 * shape varies by cell kind and may grow. The rule, by key name (anywhere in the tree):
 *
 *   run ids:  `runIds` / `*RunIds` (number[]), `runId` / `*RunId` (number)
 *   file ids: `fileIds` / `*FileIds` (number[]), `fileId` / `*FileId` / `importedFileId` (number)
 *   id text under a list key, as the Compare cell's fields hold it: "12, 20-25", or per testbed
 *   "Xen: 3, 4; LRO: 5" (rewritten id by id and compacted again; text that is not id text is data)
 *   objects shaped like a StoredRun (numeric `id` + `provenance` object + `metrics` object): `id` is a run id
 *   objects shaped like an ImportedFileSummary (numeric `id` + 64-hex `sha256`): `id` is a file id
 *
 * Anything else is data and is never rewritten. Outputs that keep ids under other names are not portable.
 */

import { compactIds } from '../contract/ids.js';

export type IdKind = 'run' | 'file';

export interface RefOptions {
  /**
   * Read id text under list keys (default true). A .rxnb before version 3 kept such text as it was —
   * ids of the database it came from — so its import must leave that text alone.
   */
  idText?: boolean;
}

/** More ids than any cell field takes: a range like "1-999999999" is data, not a billion references. */
const MAX_TEXT_IDS = 100_000;

/** The ids of id text per segment ("Xen: 3-5; 7" → [["Xen", [3,4,5]], [null, [7]]]), or null when it is not id text. */
export function parseIdText(text: string): [string | null, number[]][] | null {
  const out: [string | null, number[]][] = [];
  let count = 0;
  for (const seg of text.split(';')) {
    if (!seg.trim()) continue;
    const m = /^\s*([A-Za-z]+)\s*:(.*)$/s.exec(seg);
    const ids: number[] = [];
    for (const part of (m ? (m[2] ?? '') : seg).split(/[\s,]+/).filter(Boolean)) {
      const r = /^(\d+)(?:-(\d+))?$/.exec(part);
      if (!r) return null;
      const a = Number(r[1]);
      const b = r[2] === undefined ? a : Number(r[2]);
      if (a < 1 || b < a || (count += b - a + 1) > MAX_TEXT_IDS) return null;
      for (let i = a; i <= b; i++) ids.push(i);
    }
    out.push([m ? (m[1] ?? '') : null, ids]);
  }
  return out;
}

function mapIdText(text: string, kind: IdKind, map: (kind: IdKind, id: number) => number | null): string {
  const segs = parseIdText(text);
  if (segs === null) return text;
  return segs
    .map(([label, ids]) => {
      const mapped = ids.map((id) => map(kind, id)).filter((x): x is number => x !== null);
      return label === null ? compactIds(mapped) : `${label}: ${compactIds(mapped)}`;
    })
    .join('; ');
}

const RUN_LIST = /^(runIds|[a-zA-Z]+RunIds)$/;
const RUN_ONE = /^(runId|[a-zA-Z]+RunId)$/;
const FILE_LIST = /^(fileIds|[a-zA-Z]+FileIds)$/;
const FILE_ONE = /^(fileId|[a-zA-Z]+FileId)$/;

function keyKind(key: string): { kind: IdKind; list: boolean } | null {
  if (RUN_LIST.test(key)) return { kind: 'run', list: true };
  if (RUN_ONE.test(key)) return { kind: 'run', list: false };
  if (FILE_LIST.test(key)) return { kind: 'file', list: true };
  if (FILE_ONE.test(key)) return { kind: 'file', list: false };
  return null;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function objectIdKind(o: Record<string, unknown>): IdKind | null {
  if (typeof o['id'] !== 'number') return null;
  if (isObj(o['provenance']) && isObj(o['metrics'])) return 'run';
  if (typeof o['sha256'] === 'string' && /^[0-9a-f]{64}$/i.test(o['sha256'])) return 'file';
  return null;
}

/**
 * Returns a deep copy of `v` with every id reference passed through `map` (which may return null for a
 * reference that cannot be resolved). Used with an identity-recording map to collect ids, too.
 */
export function mapRefs(v: unknown, map: (kind: IdKind, id: number) => number | null, opts: RefOptions = {}): unknown {
  if (Array.isArray(v)) return v.map((x) => mapRefs(x, map, opts));
  if (!isObj(v)) return v;
  const own = objectIdKind(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const kk = keyKind(k);
    if (own && k === 'id') out[k] = map(own, x as number);
    else if (kk && kk.list && Array.isArray(x)) out[k] = x.map((e) => (typeof e === 'number' ? map(kk.kind, e) : mapRefs(e, map, opts)));
    else if (kk && kk.list && typeof x === 'string' && opts.idText !== false) out[k] = mapIdText(x, kk.kind, map);
    else if (kk && !kk.list && typeof x === 'number') out[k] = map(kk.kind, x);
    else out[k] = mapRefs(x, map, opts);
  }
  return out;
}

/** Run and file ids referenced anywhere in `v`, in order of first appearance. */
export function collectRefs(v: unknown, opts: RefOptions = {}): { runIds: number[]; fileIds: number[] } {
  const runs = new Set<number>();
  const files = new Set<number>();
  mapRefs(
    v,
    (kind, id) => {
      if (Number.isInteger(id) && id > 0) (kind === 'run' ? runs : files).add(id);
      return id;
    },
    opts,
  );
  return { runIds: [...runs], fileIds: [...files] };
}

/** Names of saved parameter sets a cell's config runs from (key `parameterSet`, anywhere in it). */
export function parameterSetNames(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(v)) for (const x of v) parameterSetNames(x, out);
  else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'parameterSet' && typeof x === 'string' && x.trim() !== '') out.add(x);
      else parameterSetNames(x, out);
    }
  }
  return out;
}

/** A copy of `v` with each `parameterSet` name passed through `rename`. */
export function renameParameterSets(v: unknown, rename: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => renameParameterSets(x, rename));
  if (!isObj(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'parameterSet' && typeof x === 'string' ? (rename.get(x) ?? x) : renameParameterSets(x, rename);
  return out;
}
