import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../cli-capture.js';
import { sweepCommands } from '../sweep/commands.js';
import { simCommands } from './commands.js';
import { ParamError } from './params.js';
import { runSimulation } from './run.js';

/** Physical bounds and honest nulls at the edges of valid knob values (found by a review of the CLI). */
const short = { duration_s: 0.05, warmup_s: 0.01 };

describe('results stay physical', () => {
  it('CPU shares sum to 1 even when a work item straddles the start or the end of the window', () => {
    for (const system of ['BO', 'DA', 'Xen'] as const) {
      const c = runSimulation({ system, workload: 'stream', seed: 1, set: short }).cpu_busy_share;
      expect(c.dom0 + c.guest + c.xen + c.other_guests + c.idle).toBeCloseTo(1, 9);
    }
    // a busy guest's chunk of 33 s cut by a 1 ms window: the window is all that guest, not 3,333 %
    const hog = runSimulation({ system: 'DA', workload: 'stream', seed: 1, set: { duration_s: 0.001, warmup_s: 0, guests: 1, c_hog_chunk: 1e8 } }).cpu_busy_share;
    expect(hog.other_guests).toBeLessThanOrEqual(1);
    expect(hog.other_guests + hog.xen + hog.dom0 + hog.guest + hog.idle).toBeCloseTo(1, 9);
  });

  it('over time too: no interval\'s CPU shares sum past 1', () => {
    const r = runSimulation({ system: 'BO', workload: 'stream', seed: 1, set: { ...short, trace_ms: 1 } });
    const s = r.over_time!.cpu_busy_share;
    const sums = s.dom0.map((d, i) => d + (s.guest[i] ?? 0) + (s.xen[i] ?? 0) + (s.other_guests[i] ?? 0));
    expect(Math.max(...sums)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('a TCP_RR request of exactly one MSS is pushed like any other request (it waited for the hold timer)', () => {
    const at = (bytes: number): number => runSimulation({ system: 'DA', workload: 'rr', seed: 1, set: { ...short, rr_request_bytes: bytes } }).rr_transactions_per_s ?? 0;
    const exact = at(1448);
    expect(exact / at(1447)).toBeGreaterThan(0.9);
    expect(exact / at(1449)).toBeGreaterThan(0.9);
  });

  it('a socket buffer smaller than one segment is refused, not simulated as 0 Mbit/s', () => {
    expect(() => runSimulation({ system: 'DA', workload: 'stream', seed: 1, set: { mtu: 9000, rcvbuf_bytes: 8192 } })).toThrow(ParamError);
    expect(() => runSimulation({ system: 'DA', workload: 'stream', seed: 1, set: { mtu: 9000, rcvbuf_bytes: 8192 } })).toThrow(
      'knob "rcvbuf_bytes": 8192 bytes is less than one segment (MSS 8948 bytes at mtu 9000); give at least 8948, or a smaller mtu',
    );
  });

  it('an LRO rate is null, not 0, when nothing was flushed in the window', () => {
    const r = runSimulation({ system: 'LRO', workload: 'stream', seed: 1, set: { ...short, guests: 3, tx_irq: 'on', lro_max_hold_us: 1_000_000 } });
    if (r.lro_rate !== null) expect(r.lro_rate).toBeGreaterThanOrEqual(1);
    else expect(r.flush_latency_us).toBeNull();
  });
});

describe('sweep and calibrate flags that cannot mean anything are refused', () => {
  const sweep = sweepCommands[0]!;
  const calibrate = simCommands.find((c) => c.name === 'calibrate')!;
  it('a trade-off of a system without LRO, or one that sets the flush policy the trade-off varies', async () => {
    await expect(sweep.run(['tradeoff', '--system', 'Xen'], captureIO())).rejects.toThrow('--system Xen has no LRO, so no flush policy to trade off; use LRO, BO or DA');
    await expect(sweep.run(['tradeoff', '--set', 'flush_policy=timeout'], captureIO())).rejects.toThrow(/--set flush_policy: the trade-off sets the flush policy itself/);
    await expect(sweep.run(['tradeoff', '--load', 'flush_every_polls=3'], captureIO())).rejects.toThrow(/--load flush_every_polls: a load is the traffic/);
  });
  it('--until-halfwidth on a metric no run has', async () => {
    const io = captureIO();
    io.dbPath = join(mkdtempSync(join(tmpdir(), 'rxlab-bounds-')), 'x.db');
    await expect(sweep.run(['--system', 'Xen', '--vary', 'mtu=1500', '--set', 'duration_s=0.02', '--set', 'warmup_s=0.01', '--until-halfwidth', '5', '--metric', 'foo'], io)).rejects.toThrow(/^--metric foo: no run of this sweep has it; its runs have .*throughput_mbps/);
    // a bad flag: UsageError, exit 2 (it was exit 1)
    await expect(sweep.run(['--system', 'Xen', '--vary', 'mtu=1500', '--set', 'duration_s=0.02', '--set', 'warmup_s=0.01', '--until-halfwidth', '5', '--metric', 'foo'], io)).rejects.toMatchObject({ name: 'UsageError' });
    await expect(sweep.run(['--system', 'Xen', '--vary', 'mtu=1500', '--until-halfwidth', '5', '--slurm', '--out', '/tmp/x'], io)).rejects.toThrow('--until-halfwidth decides seed by seed as results come in: it runs locally only, not with --slurm');
  });
  it('a knob both held fixed and varied; a set name taken, refused before the fit; --slurm with every run stored submits nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-bounds-'));
    const io = captureIO();
    io.dbPath = join(dir, 'x.db');
    await expect(sweep.run(['--system', 'LRO', '--vary', 'flush_every_polls=1..2', '--set', 'flush_every_polls=3'], io)).rejects.toThrow('--set flush_every_polls and --vary flush_every_polls: a knob is either held fixed or varied');
    const { openStore } = await import('../store/db.js');
    const { saveParameterSet } = await import('../sweep/paramsets.js');
    const { calibratedParams } = await import('./systems.js');
    const db = openStore(io.dbPath);
    saveParameterSet(db, { name: 'mine', params: calibratedParams() as unknown as Record<string, string | number | boolean>, modelVersion: 'x' });
    db.close();
    const t0 = Date.now();
    await expect(sweep.run(['calibrate', '--name', 'mine', '--measured', 'Xen=1'], io)).rejects.toThrow('a parameter set named "mine" exists already: choose another --name, or add --replace');
    expect(Date.now() - t0).toBeLessThan(2000);
    const grid = ['--system', 'Xen', '--vary', 'mtu=1500', '--set', 'duration_s=0.02', '--set', 'warmup_s=0.01', '--seeds', '2'];
    expect(await sweep.run(grid, io)).toBe(0);
    const out = captureIO();
    out.dbPath = io.dbPath;
    expect(await sweep.run([...grid, '--slurm', '--out', join(dir, 'slurm')], out)).toBe(0);
    expect(out.outText).toBe('every run of this sweep is stored already: nothing to submit (rxlab sweep without --slurm prints it)\n');
  }, 60_000);

  it('--profile with a multiplier or a factor given twice', async () => {
    for (const [args, why] of [
      [['--profile', '--knobs', 'pirq,pirq'], '--knobs: "pirq" is given twice'],
      [['--profile', '--knobs', 'pirq', '--grid', '1,1'], '--grid: a factor is given twice (1,1)'],
    ] as const) {
      const io = captureIO();
      expect(await calibrate.run([...args], io)).toBe(2);
      expect(io.errText).toContain(why);
    }
  });
});

describe('a second review of the model (found on many knob combinations)', () => {
  it('a TCP_RR request segment dropped on the way is sent again: the run goes on instead of stopping at 0 transactions/s', () => {
    // a 64 KB request (46 segments at once) into a 4-packet vif queue and a 16-slot guest ring drops
    // segments every time: each transaction waits for the 200 ms retransmission timer, but completes
    const set = { rr_request_bytes: 65536, vif_queue: 4, guest_ring: 16, duration_s: 3, warmup_s: 0 };
    const r = runSimulation({ system: 'Xen', workload: 'rr', seed: 1, set });
    expect(r.drops.vif_queue).toBeGreaterThan(0);
    expect(r.diagnostics.retransmitted_segments).toBeGreaterThan(0);
    expect(r.rr_transactions_per_s).toBeGreaterThan(0.5);
  });

  it('the adaptive flush policy is its own rule, not the timeout policy under another name', () => {
    const at = (flush_policy: string, link_mbps: number) =>
      runSimulation({ system: 'LRO', workload: 'stream', seed: 3, set: { duration_s: 0.1, warmup_s: 0.02, link_mbps, flush_policy, flush_every_polls: 64, flush_timeout_us: 100 } });
    // 100 Mbit/s: a frame every 120 µs, so nothing joins an aggregate within 100 µs; the timeout
    // policy holds each one the full 100 µs for nothing, adaptive hands it up at once
    expect(at('timeout', 100).flush_latency_us!.mean).toBeGreaterThan(99);
    expect(at('adaptive', 100).flush_latency_us!.mean).toBeLessThan(5);
    // 1 Gbit/s: the flow is dense, so adaptive keeps aggregating as the timeout policy does
    expect(at('adaptive', 1000).lro_rate!).toBeGreaterThan(0.8 * at('timeout', 1000).lro_rate!);
  });

  it('an aggregate still held when the window ends does not raise the LRO rate past the aggregation limit', () => {
    const sets: Record<string, string | number>[] = [
      { lro_max_aggr: 2, flush_every_polls: 64, duration_s: 0.1 },
      { lro_max_aggr: 3, flush_policy: 'timeout', flush_timeout_us: 100000, duration_s: 0.001 },
    ];
    for (const set of sets) {
      const r = runSimulation({ system: 'LRO', workload: 'stream', seed: 1, set });
      expect(r.lro_rate!).toBeLessThanOrEqual(Number(set['lro_max_aggr']));
    }
  });

  it('TCP_RR counts pure ACKs only: a response\'s data segments are not ACKs', () => {
    const r = runSimulation({ system: 'Xen', workload: 'rr', seed: 1, set: { ...short, rr_response_bytes: 65536, mtu: 576 } });
    expect(r.acks_per_segment).toBeLessThanOrEqual(1);
  });
});
