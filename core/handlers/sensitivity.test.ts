import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../contract/index.js';
import { appRoot } from '../paths.js';
import { useTempService } from './temp-service.js';
import { calibratedParams } from '../sim/systems.js';
import { MODEL_VERSION } from '../sim/version.js';
import { saveParameterSet } from '../sweep/paramsets.js';

const LOGS = resolve(appRoot(), '..', 'shared', 'real-logs');
const NETPERF_STREAM = join(LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
const NETPERF_RR = join(LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_rr-default.txt');

const service = useTempService('rxlab-sensitivity-');

describe('sim.sensitivity through the service', () => {
  it('validates its input', async () => {
    for (const [bad, path] of [
      [{ seeds: 0 }, 'seeds'],
      [{ seeds: 11 }, 'seeds'],
      [{ stepPct: 0.1 }, 'stepPct'],
      [{ stepPct: '10' }, 'stepPct'],
      [{ sources: [] }, 'sources'],
      [{ sources: [{ system: 'Nope', fileIds: [1] }] }, 'sources.0.system'],
    ] as const) {
      const r = await service().call('sim.sensitivity', bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('bad-request');
      expect(r.error.issues?.map((i) => i.path)).toEqual([path]);
    }
  });

  it("works against the measured rows of real logs: only the systems they measured are simulated", async () => {
    const stream = await service().invoke('log.import', { fileName: 'stream.txt', dataBase64: readFileSync(NETPERF_STREAM).toString('base64') });
    const rr = await service().invoke('log.import', { fileName: 'rr.txt', dataBase64: readFileSync(NETPERF_RR).toString('base64') });
    const events: ServiceEvent[] = [];
    const stop = service().onEvent((e) => {
      if ('jobId' in e && e.jobId === 'sens-1') events.push(e);
    });
    const r = await service().invoke('sim.sensitivity', { jobId: 'sens-1', seeds: 1, sources: [{ system: 'Xen', fileIds: [stream.file.id, rr.file.id] }] });
    stop();
    if (r.method !== 'local') throw new Error('the default method is local');
    expect(r.target).toBe('your measured Xen row');
    // A localhost netperf run (2,998 Mbit/s) and a TCP_RR run: two target cells, both far from the Xen model.
    expect(r.cells.map((c) => c.label)).toEqual(['IV Xen Mbit/s', 'VII Xen TCP_RR']);
    expect(r.cells[0]?.paper).toBeCloseTo(2997.84, 2);
    // The stream's throughput does not read the TCP_RR client's turnaround, the TCP_RR cell does.
    expect(r.cells[0]?.elasticity.l_ext_us).toBe(0);
    expect(r.cells[1]?.elasticity.l_ext_us).toBeLessThan(-0.5);
    expect(r.closures.map((c) => c.cell)).toEqual(r.cells.filter((c) => !c.within_tolerance).map((c) => c.label));
    // No multiplier within ×/÷3 makes the Xen model run at 3 Gbit/s: the joint move stays short, and says so.
    const thr = r.closures.find((c) => c.cell === 'IV Xen Mbit/s');
    expect(thr?.joint?.predicted.target_error_pct).toBeLessThan(-20);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress[0]).toMatchObject({ message: 'measured tables of your logs' });
    expect(progress.at(-1)).toMatchObject({ done: 1 + 2 * r.knobs.length + 2 * r.closures.length });
    expect(events.at(-1)).toEqual({ type: 'job-finished', jobId: 'sens-1', ok: true });
  });

  it('method "morris": the screening over a wide range, with μ*, μ and σ per cell and multiplier', async () => {
    const r = await service().invoke('sim.sensitivity', { seeds: 1, method: 'morris', trajectories: 2, range: 1.5 });
    if (r.method !== 'morris') throw new Error('asked for morris');
    expect(r.target).toBe('the paper');
    expect(r.trajectories).toBe(2);
    expect(r.cells).toHaveLength(25);
    const rr = r.cells.find((c) => c.label === 'VII Xen TCP_RR')!;
    expect(rr.effects.l_ext_us?.mu).toBeLessThan(-0.5);
    expect(r.cells.find((c) => c.label === 'IV Xen Mbit/s')!.effects.l_ext_us?.mu_star).toBe(0);
    const bad = await service().call('sim.sensitivity', { method: 'morris', trajectories: 1 });
    expect(bad.ok).toBe(false);
  });

  it('centres on a saved parameter set when asked, and names a missing one', async () => {
    // a set whose TCP_RR client takes twice as long: its TCP_RR cells are far slower than the paper's
    const p = calibratedParams();
    saveParameterSet(service().db, { name: 'slow-client', params: { ...p, l_ext_us: p.l_ext_us * 2 }, report: null, modelVersion: MODEL_VERSION });
    const r = await service().invoke('sim.sensitivity', { seeds: 1, method: 'morris', trajectories: 2, parameterSet: 'slow-client' });
    expect(r.parameterSet).toBe('slow-client');
    const rr = r.cells.find((c) => c.label === 'VII Xen TCP_RR')!;
    expect(rr.simulated).toBeLessThan(3500);
    expect(await service().call('sim.sensitivity', { parameterSet: 'nope' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'parameter set "nope" does not exist (rxlab sweep params lists them)' },
    });
  });

  it('stops on job.cancel', async () => {
    let cancelled: Promise<unknown> | undefined;
    const unsubscribe = service().onEvent((e) => {
      if (e.type === 'progress' && e.jobId === 'sens-cancel' && e.done >= 1 && !cancelled) cancelled = service().call('job.cancel', { jobId: 'sens-cancel' });
    });
    const r = await service().call('sim.sensitivity', { jobId: 'sens-cancel', seeds: 10 });
    unsubscribe();
    expect(await cancelled).toEqual({ ok: true, value: { cancelled: true } });
    expect(r).toEqual({ ok: false, error: { code: 'cancelled', message: 'cancelled' } });
  });
});
