/** The real simulator behind the sweep engine: core/sim presets for cache keys, the piscina pool for runs. */
import { availableParallelism } from 'node:os';
import { validateParams, type Params } from '../sim/params.js';
import { runMany } from '../sim/pool.js';
import { presetParams } from '../sim/systems.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import { MODEL_VERSION } from '../sim/version.js';
import type { PartialProgress, SimBackend, SimRequest, SimResultLike } from './types.js';

/** How often a long run's progress is read (ms). */
const PARTIAL_MS = 250;

function toRunRequest(r: SimRequest): RunRequest {
  const req: RunRequest = { system: r.system, set: r.set, seed: r.seed, workload: r.workload };
  if (r.parameterSet) req.parameterSet = validateParams(r.parameterSet);
  return req;
}

export class PoolBackend implements SimBackend {
  private readonly threads = Math.max(1, availableParallelism());
  modelVersion(): string {
    return MODEL_VERSION;
  }
  /** Exactly what runSimulation reports as `parameters` (validates every knob: bad input fails before any run). */
  resolve(r: SimRequest): Record<string, unknown> {
    const base: Params | undefined = r.parameterSet ? validateParams(r.parameterSet) : undefined;
    return { ...presetParams(r.system, base, r.set) };
  }
  concurrency(): number {
    return this.threads;
  }
  async run(reqs: SimRequest[], opts: { signal?: AbortSignal; onPartial?: PartialProgress }): Promise<SimResultLike[]> {
    const runReqs = reqs.map(toRunRequest);
    const { onPartial } = opts;
    if (onPartial === undefined) {
      const out = await runMany<RunRequest, RunResult>('sim', runReqs, opts.signal ? { signal: opts.signal } : {});
      return out as unknown as SimResultLike[];
    }
    // each run writes its permille of simulated time into a shared word; read here four times a second
    const words = runReqs.map((r) => {
      r.progress = new SharedArrayBuffer(4);
      return new Int32Array(r.progress);
    });
    const read = (): void => onPartial(words.reduce((s, w) => s + Atomics.load(w, 0), 0) / 1000);
    const timer = setInterval(read, PARTIAL_MS);
    try {
      const out = await runMany<RunRequest, RunResult>('sim', runReqs, opts.signal ? { signal: opts.signal } : {});
      read();
      return out as unknown as SimResultLike[];
    } finally {
      clearInterval(timer);
    }
  }
}

export function realBackend(): SimBackend {
  return new PoolBackend();
}
