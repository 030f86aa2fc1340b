import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realLogsDir } from '../logs/real-logs-dir.js';
import { captureIO } from '../cli-capture.js';
import { sweepCommands } from '../sweep/commands.js';
import { useTempService } from './temp-service.js';

const service = useTempService('rxlab-params-api-');
const NETPERF = join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');

describe('params.calibrate (the Compare cell\'s "Fit the model to these measurements")', () => {
  it('fits to a measured log in the worker pool, reports before and after, saves the set, and simulations start from it', async () => {
    const s = service();
    const imp = await s.invoke('log.import', { fileName: 'stream.txt', dataBase64: readFileSync(NETPERF).toString('base64') });
    const events: string[] = [];
    const stop = s.onEvent((e) => {
      if (e.type === 'progress' && e.jobId === 'fit-1' && e.message) events.push(e.message);
    });
    let r;
    try {
      r = await s.invoke('params.calibrate', { jobId: 'fit-1', name: 'my-testbed', sources: [{ system: 'Xen', fileIds: [imp.file.id] }], maxEvals: 24 }); // past the first simplex (12 points, each a cost raised: all slower than the start)
    } finally {
      stop();
    }
    expect(r.saved?.name).toBe('my-testbed');
    expect(r.before).toHaveLength(1); // Xen throughput: the one cell a stream log gives
    expect(r.before[0]).toMatchObject({ table: 'IV', system: 'Xen', metric: 'throughput_mbps', target: 2997.84 });
    expect(r.after[0]?.simulated).not.toBe(r.before[0]?.simulated);
    // where the fit put each cost group, beside the calibration to the paper (× prior)
    expect(r.groups).toHaveLength(11);
    expect(r.groups.every((g) => g.paper > 0 && g.yours > 0)).toBe(true);
    expect(r.groups.some((g) => Math.abs(g.yours / g.paper - 1) > 1e-6)).toBe(true);
    expect(events[0]).toBe('measured tables of your logs');
    expect(events.some((m) => /^fit: evaluation \d+ \(budget 24\), best objective \d+\.\d\d$/.test(m))).toBe(true);
    expect(events.at(-1)).toBe('the current calibration on the same seeds, for the "before" column');
    expect((await s.invoke('params.list', {})).map((p) => p.name)).toEqual(['my-testbed']);
    const run = await s.invoke('sim.run', { runs: [{ system: 'Xen', seed: 1, parameterSet: 'my-testbed', set: { duration_s: 0.05, warmup_s: 0.01 } }] });
    expect(run.runs).toHaveLength(1);
    // labelled with the set, so the stored-runs browser finds the runs it gave
    expect(run.runs[0]?.label).toBe('simulation · parameter set my-testbed');
    expect((await s.invoke('runs.query', { text: 'my-testbed' })).rows.map((r) => r.id)).toEqual([run.runs[0]?.id]);
    const sweep = await s.invoke('sweep.run', { system: 'Xen', vary: [{ key: 'mtu', values: [1400] }], seeds: 1, parameterSet: 'my-testbed', set: { duration_s: 0.05, warmup_s: 0.01 } });
    expect((await s.invoke('runs.get', { ids: sweep.points[0]?.runIds ?? [] }))[0]?.label).toBe('sweep · parameter set my-testbed');
    // the same name again is refused unless replace is asked for; the result says so
    const again = await s.invoke('params.calibrate', { name: 'my-testbed', sources: [{ system: 'Xen', fileIds: [imp.file.id] }], maxEvals: 5 });
    expect(again.saved).toBeNull();
    expect(again.saveError).toMatch(/exists/);
    // deleted: gone from the list, and a run that names it is refused with the name
    expect(await s.invoke('params.delete', { name: 'my-testbed' })).toEqual({ name: 'my-testbed' });
    expect(await s.invoke('params.list', {})).toEqual([]);
    expect(await s.call('params.delete', { name: 'my-testbed' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await s.call('sim.run', { runs: [{ system: 'Xen', parameterSet: 'my-testbed' }] })).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringContaining('"my-testbed" does not exist') } });
  });

  it('refuses bad requests and logs it cannot fit, and a cancelled fit saves nothing', async () => {
    const s = service();
    expect(await s.call('params.calibrate', { name: 'x', sources: [{ system: 'KVM', fileIds: [1] }] })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await s.call('params.calibrate', { name: ' ', sources: [{ system: 'Xen', fileIds: [1] }] })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await s.call('params.calibrate', { name: 'x', sources: [{ system: 'Xen', fileIds: [999] }] })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'imported file 999 does not exist' } });
    const imp = await s.invoke('log.import', { fileName: 'stream.txt', dataBase64: readFileSync(NETPERF).toString('base64') });
    const fit = s.call('params.calibrate', { jobId: 'fit-2', name: 'never', sources: [{ system: 'LRO', fileIds: [imp.file.id] }], maxEvals: 2000 });
    await new Promise((res) => setTimeout(res, 1500));
    expect(s.cancel('fit-2')).toBe(true);
    expect(await fit).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect((await s.invoke('params.list', {})).map((p) => p.name)).not.toContain('never');
  });
});

describe('rxlab sweep params --delete', () => {
  it('removes a set by name and refuses a name that is not there', async () => {
    const s = service();
    const imp = await s.invoke('log.import', { fileName: 'stream.txt', dataBase64: readFileSync(NETPERF).toString('base64') });
    await s.invoke('params.calibrate', { name: 'cli-fit', sources: [{ system: 'Xen', fileIds: [imp.file.id] }], maxEvals: 5 });
    const sweep = sweepCommands.find((c) => c.name === 'sweep');
    const io = captureIO();
    io.dbPath = s.dbPath;
    expect(await sweep?.run(['params', '--delete', 'cli-fit'], io)).toBe(0);
    expect(io.outText).toContain('deleted parameter set "cli-fit"');
    await expect(sweep?.run(['params', '--delete', 'cli-fit'], io)).rejects.toThrow(/--delete: no parameter set named "cli-fit"/);
    expect((await s.invoke('params.list', {})).map((p) => p.name)).not.toContain('cli-fit');
  });
});
