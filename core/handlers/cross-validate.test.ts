import { describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../contract/index.js';
import { useTempService } from './temp-service.js';

const service = useTempService('rxlab-crossval-');

describe('sim.crossValidate through the service', () => {
  it('validates its input', async () => {
    for (const [bad, path] of [
      [{ folds: 'cells' }, 'folds'],
      [{ rounds: 10 }, 'rounds'],
      [{ rounds: 1.5e4 }, 'rounds'],
      [{ rounds: '11' }, 'rounds'],
      [{ seeds: 0 }, 'seeds'],
      [{ sources: [] }, '(request)'],
    ] as const) {
      const r = await service().call('sim.crossValidate', bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('bad-request');
      expect(r.error.issues?.map((i) => i.path)).toEqual([path]);
    }
  });

  it('leave one table out: four fits, every cell predicted once, with progress per fold', async () => {
    const events: ServiceEvent[] = [];
    const stop = service().onEvent((e) => {
      if ('jobId' in e && e.jobId === 'cv-1') events.push(e);
    });
    const r = await service().invoke('sim.crossValidate', { jobId: 'cv-1', folds: 'tables', rounds: 11, seeds: 1 });
    stop();
    expect(r.folds_by).toBe('tables');
    expect(r.folds.map((f) => f.fold)).toEqual(['Table IV', 'Table V', 'Table VI', 'Table VII']);
    expect(r.folds.map((f) => f.held_out.length)).toEqual([5, 13, 2, 5]);
    expect(r.cells).toHaveLength(25);
    for (const c of r.cells) {
      expect(c.fold).toBe(`Table ${c.table}`);
      expect(typeof c.held_out_error_pct).toBe('number');
    }
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress[0]).toMatchObject({ done: 0, total: 44 });
    expect(progress.at(-1)).toMatchObject({ done: 44, total: 44, message: expect.stringMatching(/^fold 4 of 4 \(without Table VII\): 11\/11 evaluations/) });
    expect(events.at(-1)).toEqual({ type: 'job-finished', jobId: 'cv-1', ok: true });
  }, 120_000);

  it('Cancel stops the fold in flight', async () => {
    const s = service();
    const job = s.call('sim.crossValidate', { jobId: 'cv-2', rounds: 5000 });
    await new Promise((res) => setTimeout(res, 1500));
    expect(s.cancel('cv-2')).toBe(true);
    expect(await job).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  }, 60_000);
});
