/** The real simulator behind the sweep engine: core/sim presets for cache keys, the piscina pool for runs. */
import { availableParallelism } from 'node:os';
import { validateParams, type Params } from '../sim/params.js';
import { runMany } from '../sim/pool.js';
import { presetParams } from '../sim/systems.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import { MODEL_VERSION } from '../sim/version.js';
import type { SimBackend, SimRequest, SimResultLike } from './types.js';

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
  async run(reqs: SimRequest[], opts: { signal?: AbortSignal }): Promise<SimResultLike[]> {
    const out = await runMany<RunRequest, RunResult>('sim', reqs.map(toRunRequest), opts.signal ? { signal: opts.signal } : {});
    return out as unknown as SimResultLike[];
  }
}

export function realBackend(): SimBackend {
  return new PoolBackend();
}
