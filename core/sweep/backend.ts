/** The real simulator behind the sweep engine: core/sim presets for cache keys, the piscina pool for runs. */
import { availableParallelism } from 'node:os';
import { validateParams, type Params } from '../sim/params.js';
import { runManyWatched } from '../sim/pool.js';
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
    // with onPartial, each run marks its share of simulated time, read here four times a second
    const out = await runManyWatched<RunRequest, RunResult>('sim', reqs.map(toRunRequest), {
      everyMs: PARTIAL_MS,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onPartial ? { onPartial: opts.onPartial } : {}),
    });
    return out as unknown as SimResultLike[];
  }
}

export function realBackend(): SimBackend {
  return new PoolBackend();
}
