/**
 * The sweep engine: a grid over knobs × seeds, run through a SimBackend in small batches, each batch
 * saved in one SQLite transaction as it completes. A point is identified by its cache key
 * (model version + workload + full resolved parameters + seed, core/store/runs.ts simCacheKey), so a
 * second call runs only what is missing, a crash or a cancel loses at most the batches in flight, and
 * two processes sweeping the same grid never store a point twice (UNIQUE cache_key, checked inside an
 * IMMEDIATE transaction).
 */
import type { IntervalSummary } from '../contract/index.js';
import type { Db } from '../store/db.js';
import { findRunByCacheKey, flattenMetrics, insertRun, simCacheKey } from '../store/runs.js';
import { retryBusy } from '../store/busy.js';
import { expandGrid, requestFor, seedList } from './grid.js';
import { interval95, narrowEnough } from './stats.js';
import type { KnobSet, SimBackend, SimRequest, SimResultLike, SweepOptions, SweepPointDetail, SweepResult, SweepSpec } from './types.js';

export class SweepCancelledError extends Error {
  /** `saved` of `total` runs were stored before the cancel (when known): the notebook says how far it got. */
  constructor(
    readonly saved?: number,
    readonly total?: number,
  ) {
    super(
      saved === undefined || total === undefined
        ? 'sweep cancelled (finished points are saved; run the same sweep again to resume)'
        : `sweep cancelled: ${saved} of ${total} runs saved; run the same sweep again to resume`,
    );
    this.name = 'AbortError';
  }
}

export interface PlannedRun {
  req: SimRequest;
  key: string;
  runId: number | undefined;
}

/** The cache key a request will be stored under. */
export function keyFor(backend: SimBackend, req: SimRequest): string {
  return simCacheKey(backend.modelVersion(), req.system, req.workload, backend.resolve(req), req.seed);
}

/** The key a finished result of `system` is stored under (what `sweep collect` uses for Slurm output too). */
export function keyOfResult(result: SimResultLike, system: string, workload: string, seed: number): string {
  return simCacheKey(result.model_version, system, workload, result.parameters, seed);
}

/** Looks every request up in the store. */
export function plan(db: Db, backend: SimBackend, reqs: SimRequest[]): PlannedRun[] {
  return reqs.map((req) => {
    const key = keyFor(backend, req);
    return { req, key, runId: findRunByCacheKey(db, key) };
  });
}

/** A finished simulation to store: what was asked, and what the simulator answered. */
export interface SimResultToSave {
  req: SimRequest;
  result: SimResultLike;
}

/**
 * Saves finished results in one IMMEDIATE transaction. A result whose key is already stored (another
 * process got there first) is not inserted again; the existing id is returned.
 */
export function saveResults(db: Db, items: SimResultToSave[], label: string | null): { ids: number[]; keys: string[]; inserted: number } {
  const ids: number[] = [];
  const keys: string[] = [];
  let inserted = 0;
  const tx = db.transaction(() => {
    for (const { req, result } of items) {
      const key = keyOfResult(result, req.system, req.workload, req.seed);
      keys.push(key);
      const existing = findRunByCacheKey(db, key);
      if (existing !== undefined) {
        ids.push(existing);
        continue;
      }
      ids.push(
        insertRun(db, {
          kind: 'simulated',
          system: req.system,
          workload: req.workload,
          label,
          parameters: result.parameters,
          seed: req.seed,
          modelVersion: result.model_version,
          cacheKey: key,
          detail: result,
          metrics: flattenMetrics(result),
        }),
      );
      inserted++;
    }
  });
  tx.immediate();
  return { ids, keys, inserted };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SweepCancelledError();
}

/**
 * Runs the missing requests of `planned` (runId undefined) in batches, saving each batch as it
 * completes, and fills in runId. Returns how many were simulated.
 */
export async function runMissing(
  db: Db,
  backend: SimBackend,
  planned: PlannedRun[],
  opts: SweepOptions & { doneBefore?: number; totalAll?: number },
): Promise<number> {
  const missing = planned.filter((p) => p.runId === undefined);
  const batchSize = Math.max(1, opts.batchSize ?? backend.concurrency());
  const inflight = Math.max(1, opts.inflight ?? 2);
  const total = opts.totalAll ?? planned.length;
  let done = opts.doneBefore ?? planned.length - missing.length;
  opts.onProgress?.(done, total);
  opts.onRunProgress?.(done, total);
  const batches: PlannedRun[][] = [];
  for (let i = 0; i < missing.length; i += batchSize) batches.push(missing.slice(i, i + batchSize));
  let next = 0;
  let simulated = 0;
  let failure: unknown;
  // how far each batch in flight is (in runs), for onRunProgress
  const partial = new Map<number, number>();
  const inFlight = (): number => [...partial.values()].reduce((a, b) => a + b, 0);
  const onRunProgress = opts.onRunProgress;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < batches.length) {
      const index = next++;
      const batch = batches[index];
      if (!batch) break;
      throwIfAborted(opts.signal);
      const results = await backend.run(
        batch.map((p) => p.req),
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(onRunProgress
            ? {
                onPartial: (x: number) => {
                  partial.set(index, x);
                  onRunProgress(done + inFlight(), total);
                },
              }
            : {}),
        },
      );
      if (results.length !== batch.length) throw new Error(`simulator returned ${results.length} results for ${batch.length} requests`);
      const items = batch.map((p, i) => ({ req: p.req, result: results[i] as SimResultLike }));
      // One IMMEDIATE transaction; while a worker holds the write lock it is retried without
      // blocking this thread (core/store/busy.ts). The service saves large results in a worker (opts.save).
      const { ids, keys } = opts.save
        ? await opts.save(items, opts.label ?? 'sweep')
        : await retryBusy(() => saveResults(db, items, opts.label ?? 'sweep'), { signal: opts.signal });
      batch.forEach((p, i) => {
        p.runId = ids[i];
        if (keys[i] !== p.key) {
          opts.onWarning?.(
            `model ${backend.modelVersion()}: resolved parameters of ${p.req.system} seed ${p.req.seed} differ from the result's; the point is stored under the result's key`,
          );
          p.key = keys[i] ?? p.key;
        }
      });
      simulated += batch.length;
      done += batch.length;
      partial.delete(index); // counted in done from here, so the fraction never steps back
      opts.onProgress?.(done, total);
      onRunProgress?.(done + inFlight(), total);
    }
  };
  const workers = Array.from({ length: Math.min(inflight, batches.length) }, () =>
    worker().catch((e: unknown) => {
      failure ??= e;
    }),
  );
  await Promise.all(workers);
  if (failure !== undefined) {
    if (opts.signal?.aborted) throw new SweepCancelledError(done, total);
    throw failure;
  }
  if (opts.signal?.aborted) throw new SweepCancelledError(done, total);
  return simulated;
}

/** Scalar metrics of stored runs, by run id. */
export function loadMetrics(db: Db, runIds: number[]): Map<number, Record<string, number | null>> {
  const out = new Map<number, Record<string, number | null>>();
  for (const id of runIds) out.set(id, {});
  // one query for all (a query per run took 290–370 ms for a 2,000-run sweep)
  const rows = db.prepare('SELECT run_id, metric, value FROM result WHERE run_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(runIds)) as { run_id: number; metric: string; value: number | null }[];
  for (const r of rows) {
    const m = out.get(r.run_id);
    if (m) m[r.metric] = r.value;
  }
  return out;
}

/** Per metric: mean and 95 % interval over the runs that report a finite value. */
export function summarize(rows: Record<string, number | null>[]): Record<string, IntervalSummary> {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) names.add(k);
  const out: Record<string, IntervalSummary> = {};
  for (const name of [...names].sort()) {
    const xs = rows.map((r) => r[name]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    if (xs.length === 0) continue;
    const { mean, lo, hi, halfWidth, n } = interval95(xs);
    out[name] = { mean, lo, hi, halfWidth, n };
  }
  return out;
}

/**
 * Runs looked up (or summarised) between yields to the event loop (≈ 45 µs per run looked up). It
 * counted grid points: 40 points × 50 seeds never yielded, and the server stood still for 0.4–0.9 s.
 */
const PLAN_YIELD_EVERY = 256;

interface PointState {
  values: KnobSet;
  seeds: number[];
  planned: PlannedRun[];
}

/**
 * Runs a sweep. Fixed mode: every point × `seeds` seeds. Sequential mode (spec.sequential): start
 * with `seeds` (at least 2) per point, then keep adding seeds to the points whose interval on the
 * chosen metric is wider than the target, until it is narrow enough or maxSeeds is reached
 * (netperf's -I/-i).
 */
export async function runSweep(db: Db, backend: SimBackend, spec: SweepSpec, opts: SweepOptions = {}): Promise<SweepResult> {
  const grid = expandGrid(spec.vary);
  const seq = spec.sequential;
  const startSeeds = seq ? Math.max(2, Math.min(spec.seeds, seq.maxSeeds)) : spec.seeds;
  const points: PointState[] = [];
  let sinceYield = 0;
  // Each run is looked up in the store: let the host's other requests (Cancel among them) in now and then.
  const breathe = async (runs: number): Promise<void> => {
    sinceYield += runs;
    if (sinceYield < PLAN_YIELD_EVERY) return;
    sinceYield = 0;
    await new Promise<void>((r) => setImmediate(r));
    throwIfAborted(opts.signal);
  };
  for (const values of grid) {
    const seeds = seedList(spec, startSeeds);
    points.push({ values, seeds, planned: plan(db, backend, seeds.map((s) => requestFor(spec, values, s))) });
    await breathe(seeds.length);
  }
  let all = points.flatMap((p) => p.planned);
  let cached = all.filter((p) => p.runId !== undefined).length;
  const total = seq ? grid.length * seq.maxSeeds : all.length;
  let simulated = await runMissing(db, backend, all, { ...opts, totalAll: total });
  let done = all.length;

  const summaries = (p: PointState): Record<string, IntervalSummary> => {
    const ids = p.planned.map((x) => x.runId).filter((x): x is number => x !== undefined);
    const m = loadMetrics(db, ids);
    return summarize(ids.map((id) => m.get(id) ?? {}));
  };

  const converged = new Map<PointState, boolean>();
  if (seq) {
    for (;;) {
      throwIfAborted(opts.signal);
      const open: PointState[] = [];
      // each point's runs read once per round (a store query per point)
      const sums = points.map(summaries);
      // a metric no run has (a typo, or lro_rate on a system without LRO) would only run seeds to the cap
      if (sums.length > 0 && sums.every((m) => m[seq.metric] === undefined)) {
        throw new Error(`--metric ${seq.metric}: no run of this sweep has it; its runs have ${Object.keys(sums[0] ?? {}).join(', ') || 'no metrics'}`);
      }
      for (const [i, p] of points.entries()) {
        const iv = sums[i]?.[seq.metric];
        const ok = iv !== undefined && narrowEnough(iv, seq.halfWidthPct);
        converged.set(p, ok);
        if (!ok && p.seeds.length < seq.maxSeeds) open.push(p);
      }
      if (open.length === 0) break;
      // One more seed per open point; more when few points are open, so no core idles.
      const extra = Math.max(1, Math.floor(backend.concurrency() / open.length));
      const added: PlannedRun[] = [];
      const before = new Map(open.map((p) => [p, p.seeds.length]));
      for (const p of open) {
        const want = Math.min(seq.maxSeeds, p.seeds.length + extra);
        const newSeeds = seedList(spec, want).slice(p.seeds.length);
        const pr = plan(db, backend, newSeeds.map((s) => requestFor(spec, p.values, s)));
        p.seeds.push(...newSeeds);
        p.planned.push(...pr);
        added.push(...pr);
      }
      cached += added.filter((p) => p.runId !== undefined).length;
      simulated += await runMissing(db, backend, added, { ...opts, totalAll: total, doneBefore: done + added.filter((p) => p.runId !== undefined).length });
      done += added.length;
      // The stopping rule is applied seed by seed, so the result does not depend on how many seeds a
      // round ran ahead (that follows the machine's cores): a point keeps the fewest seeds whose
      // interval is narrow enough; seeds run past that stay in the store, out of this sweep's result.
      for (const p of open) {
        for (let n = (before.get(p) ?? p.seeds.length) + 1; n < p.seeds.length; n++) {
          const iv = summaries({ ...p, planned: p.planned.slice(0, n) })[seq.metric];
          if (iv !== undefined && narrowEnough(iv, seq.halfWidthPct)) {
            p.seeds.length = n;
            p.planned.length = n;
            break;
          }
        }
      }
    }
    opts.onProgress?.(total, total);
    opts.onRunProgress?.(total, total);
  }
  all = points.flatMap((p) => p.planned);

  const outPoints: SweepPointDetail[] = [];
  for (const p of points) {
    const d: SweepPointDetail = {
      values: p.values,
      seeds: p.seeds,
      runIds: p.planned.map((x) => x.runId).filter((x): x is number => x !== undefined),
      metrics: summaries(p),
    };
    if (seq) d.converged = converged.get(p) ?? false;
    outPoints.push(d);
    await breathe(p.planned.length);
  }
  const result: SweepResult = {
    system: spec.system,
    workload: spec.workload,
    vary: spec.vary.map((v) => v.key),
    seeds: Math.max(0, ...points.map((p) => p.seeds.length)),
    points: outPoints,
    cachedRuns: cached,
    modelVersion: backend.modelVersion(),
    simulated,
  };
  if (seq) result.sequential = seq;
  return result;
}
