import { describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../contract/index.js';
import { FITTED_MULTIPLIER_NAMES } from '../contract/multipliers.js';
import { FIT_KNOBS } from '../sim/calibrate/fit.js';
import { useTempService } from './temp-service.js';

const service = useTempService('rxlab-profile-');

describe('sim.profile through the service', () => {
  it('offers exactly the multipliers the calibration fits', () => {
    expect([...FITTED_MULTIPLIER_NAMES]).toEqual([...FIT_KNOBS]);
  });

  it('validates its input', async () => {
    for (const [bad, path] of [
      [{ knobs: ['nope'] }, 'knobs.0'],
      [{ knobs: [] }, 'knobs'],
      [{ knobs: ['pirq', 'pirq'] }, 'knobs'],
      [{ grid: [0.05] }, 'grid.0'],
      [{ grid: [] }, 'grid'],
      [{ rounds: 10 }, 'rounds'],
      [{ rounds: '220' }, 'rounds'],
      [{ seeds: 3 }, '(request)'],
    ] as const) {
      const r = await service().call('sim.profile', bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('bad-request');
      expect(r.error.issues?.map((i) => i.path)).toEqual([path]);
    }
  });

  it('one knob at two points (the centre added): refits with progress per evaluation', async () => {
    const events: ServiceEvent[] = [];
    const stop = service().onEvent((e) => {
      if ('jobId' in e && e.jobId === 'pr-1') events.push(e);
    });
    const r = await service().invoke('sim.profile', { jobId: 'pr-1', knobs: ['gcopy'], grid: [2], rounds: 11 });
    stop();
    expect(r.rounds).toBe(11);
    expect(r.profiles.map((p) => p.knob)).toEqual(['gcopy']);
    expect(r.profiles[0]?.points.map((p) => p.factor)).toEqual([1, 2]);
    expect(r.profiles[0]?.verdict).toMatch(/^(pinned|flat|lower)/);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress[0]).toMatchObject({ done: 0, total: 22, message: expect.stringMatching(/^stage B/) });
    expect(progress.some((e) => 'message' in e && /^point 2 of 2: gcopy ×2\.00, \d+\/11 evaluations, best objective \d/.test(e.message ?? ''))).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: 22, total: 22 });
    expect(events.at(-1)).toEqual({ type: 'job-finished', jobId: 'pr-1', ok: true });
  }, 120_000);

  it('Cancel stops the refit in flight', async () => {
    const s = service();
    const job = s.call('sim.profile', { jobId: 'pr-2', rounds: 2000 });
    await new Promise((res) => setTimeout(res, 1500));
    expect(s.cancel('pr-2')).toBe(true);
    expect(await job).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  }, 60_000);
});
