/**
 * How cell configs and outputs point at stored results. The notebook UI keeps only compact outputs
 * (run ids + summary numbers); the report and the .rxnb export must find those ids in JSON whose exact
 * shape varies by cell kind and may grow. The rule, by key name (anywhere in the tree):
 *
 *   run ids:  `runIds` / `*RunIds` (number[]), `runId` / `*RunId` (number)
 *   file ids: `fileIds` / `*FileIds` (number[]), `fileId` / `*FileId` / `importedFileId` (number)
 *   objects shaped like a StoredRun (numeric `id` + `provenance` object + `metrics` object): `id` is a run id
 *   objects shaped like an ImportedFileSummary (numeric `id` + 64-hex `sha256`): `id` is a file id
 *
 * Anything else is data and is never rewritten. Outputs that keep ids under other names are not portable.
 */

export type IdKind = 'run' | 'file';

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
export function mapRefs(v: unknown, map: (kind: IdKind, id: number) => number | null): unknown {
  if (Array.isArray(v)) return v.map((x) => mapRefs(x, map));
  if (!isObj(v)) return v;
  const own = objectIdKind(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const kk = keyKind(k);
    if (own && k === 'id') out[k] = map(own, x as number);
    else if (kk && kk.list && Array.isArray(x)) out[k] = x.map((e) => (typeof e === 'number' ? map(kk.kind, e) : mapRefs(e, map)));
    else if (kk && !kk.list && typeof x === 'number') out[k] = map(kk.kind, x);
    else out[k] = mapRefs(x, map);
  }
  return out;
}

/** Run and file ids referenced anywhere in `v`, in order of first appearance. */
export function collectRefs(v: unknown): { runIds: number[]; fileIds: number[] } {
  const runs = new Set<number>();
  const files = new Set<number>();
  mapRefs(v, (kind, id) => {
    if (Number.isInteger(id) && id > 0) (kind === 'run' ? runs : files).add(id);
    return id;
  });
  return { runIds: [...runs], fileIds: [...files] };
}
