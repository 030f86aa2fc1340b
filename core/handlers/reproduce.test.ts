import { describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../contract/index.js';
import { useTempService } from './temp-service.js';
import { simCommands } from '../sim/commands.js';

const service = useTempService('rxlab-reproduce-');

function collect(jobId: string): { events: ServiceEvent[]; stop: () => void } {
  const events: ServiceEvent[] = [];
  const stop = service().onEvent((e) => {
    if ('jobId' in e && e.jobId === jobId) events.push(e);
  });
  return { events, stop };
}

/** `rxlab reproduce --json --seeds N`, captured. */
async function cliReproduceJson(seeds: number): Promise<unknown> {
  const cmd = simCommands.find((c) => c.name === 'reproduce');
  if (!cmd) throw new Error('no reproduce command');
  let out = '';
  const code = await cmd.run(['--json', '--seeds', String(seeds)], { out: (t) => (out += t), err: () => {}, dbPath: undefined, signal: new AbortController().signal });
  expect(code).toBe(0);
  return JSON.parse(out);
}

describe('sim.reproduce through the service', () => {
  it('validates seeds like `rxlab reproduce --seeds` (2 to 100)', async () => {
    for (const seeds of [1, 101, 2.5, '3']) {
      const r = await service().call('sim.reproduce', { seeds });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('bad-request');
      expect(r.error.issues?.map((i) => i.path)).toEqual(['seeds']);
    }
    const extra = await service().call('sim.reproduce', { seeds: 2, system: 'Xen' });
    expect(extra.ok).toBe(false);
  });

  it('returns what `rxlab reproduce --json` prints, with progress events for every run', async () => {
    const { events, stop } = collect('rep-ok');
    const r = await service().call('sim.reproduce', { jobId: 'rep-ok', seeds: 2 });
    stop();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // every host sends the value as JSON: compare what a client receives with the CLI's output
    const viaApi = JSON.parse(JSON.stringify(r.value)) as { seeds: number[]; cells: unknown[]; findings: unknown[]; systems: Record<string, unknown> };
    expect(viaApi.seeds).toEqual([1, 2]);
    expect(Object.keys(viaApi.systems).sort()).toEqual(['BO', 'DA', 'LRO', 'Linux', 'Xen']);
    expect(viaApi.cells.length).toBeGreaterThan(0);
    expect(viaApi.findings).toHaveLength(5);
    expect(viaApi).toEqual(await cliReproduceJson(2));

    // 5 systems × 2 workloads × 2 seeds = 20 runs: progress 0/20 … 20/20, then the job finishes
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress[0]).toMatchObject({ done: 0, total: 20, message: 'reproduce' });
    expect(progress.at(-1)).toMatchObject({ done: 20, total: 20 });
    expect(progress.map((e) => (e.type === 'progress' ? e.done : -1))).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(events.at(-1)).toEqual({ type: 'job-finished', jobId: 'rep-ok', ok: true });
  });

  it('stops on job.cancel: answers "cancelled" without running the rest', async () => {
    const { events, stop } = collect('rep-cancel');
    let cancelled: Promise<unknown> | undefined;
    const unsubscribe = service().onEvent((e) => {
      if (e.type === 'progress' && e.jobId === 'rep-cancel' && e.done >= 1 && !cancelled) cancelled = service().call('job.cancel', { jobId: 'rep-cancel' });
    });
    // 5 × 2 × 40 = 400 runs: far more than can finish between the first result and the cancel
    const r = await service().call('sim.reproduce', { jobId: 'rep-cancel', seeds: 40 });
    unsubscribe();
    stop();
    expect(await cancelled).toEqual({ ok: true, value: { cancelled: true } });
    expect(r).toEqual({ ok: false, error: { code: 'cancelled', message: 'cancelled' } });
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last?.type === 'progress' && last.done < last.total).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'job-finished', jobId: 'rep-cancel', ok: false, error: 'cancelled' });
  });
});
