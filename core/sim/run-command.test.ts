import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../cli-capture.js';
import { simCommands } from './commands.js';
import { destroyPool } from './pool.js';
import { runSimulation } from './run.js';

const run = simCommands.find((c) => c.name === 'run')!;

describe('rxlab run (text output)', () => {
  it('TCP_RR shows the round trip and the CPU time per transaction by domain and function', async () => {
    const io = captureIO();
    expect(await run.run(['--system', 'Xen', '--workload', 'rr', '--seed', '1'], io)).toBe(0);
    const text = io.outText;
    const tps = Number(/TCP_RR\s+(\d+) transactions\/s \(round trip ([\d.]+) µs\)/.exec(text)?.[1]);
    const rtt = Number(/round trip ([\d.]+) µs/.exec(text)?.[1]);
    expect(rtt).toBeCloseTo(1e6 / tps, 0);
    const line = /CPU\/transaction\s+(.*); total ([\d.]+) µs/.exec(text);
    expect(line).not.toBeNull();
    const domains = [...line![1]!.matchAll(/(\w+) ([\d.]+) µs/g)].map((m) => [m[1], Number(m[2])] as const);
    expect(domains.map(([d]) => d).sort()).toEqual(['dom0', 'guest', 'xen']);
    const total = Number(line![2]);
    expect(domains.reduce((a, [, us]) => a + us, 0)).toBeCloseTo(total, 0);
    // The CPU is a small part of the round trip; the client and the wire are the rest.
    expect(total).toBeGreaterThan(5);
    expect(total).toBeLessThan(rtt / 2);
    expect(text).not.toMatch(/cycles\/byte/);
    expect(text).toMatch(/^\s+[\d.]+ %\s+[\d.]+ µs\s+xen\s+do_IRQ$/m);
    // a run without losses says nothing of recovery; one with them says how the client recovered
    expect(text).not.toMatch(/recovery/);
    const lossy = captureIO();
    expect(await run.run(['--system', 'Xen', '--workload', 'rr', '--seed', '2', '--set', 'duration_s=1', '--set', 'nic_ring=16', '--set', 'guests=1', '--set', 'rr_request_bytes=65536'], lossy)).toBe(0);
    expect(lossy.outText).toMatch(/^ {2}recovery {10}\d+ segments resent by the client: 0 fast retransmits, [1-9]\d* timeouts? \(0\.2–0\.4 s each\)$/m);
  });

  it('TCP_STREAM keeps cycles per byte', async () => {
    const io = captureIO();
    expect(await run.run(['--system', 'Linux', '--seed', '1'], io)).toBe(0);
    expect(io.outText).toMatch(/cycles\/byte\s+driver —\s+guest —\s+total [\d.]+/);
    expect(io.outText).not.toMatch(/CPU\/transaction/);
    expect(io.outText).not.toMatch(/netfront/);
    const nf = captureIO();
    expect(await run.run(['--system', 'LRO', '--seed', '1', '--set', 'netfront_lro=on'], nf)).toBe(0);
    expect(nf.outText).toMatch(/LRO rate\s+[\d.]+ packets\/aggregate; netfront [\d.]+ skbs\/aggregate/);
  });

  it('names what the run was given beyond system and seed: the knobs set and a parameter file, and a switch the file set that the system overrides', async () => {
    const plain = captureIO();
    expect(await run.run(['--system', 'Xen', '--seed', '1'], plain)).toBe(0);
    expect(plain.outText).not.toMatch(/knobs set|parameter set/);
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-pf-'));
    try {
      const file = join(dir, 'set.json');
      writeFileSync(file, JSON.stringify({ lro: true, c_pirq: 30000 }));
      const io = captureIO();
      expect(await run.run(['--system', 'Xen', '--seed', '1', '--params-file', file, '--set', 'mtu=9000', '--set', 'flush_every_polls=2'], io)).toBe(0);
      const head = io.outText.split('\n').slice(0, 3);
      expect(head[1]).toBe(`  parameter set     ${file} (in place of the calibrated set)`);
      expect(head[2]).toBe('  knobs set         mtu=9000, flush_every_polls=2');
      expect(io.errText).toMatch(/--params-file sets lro=true, but --system Xen switches it to false; to run with the file's value, add --set lro=true/);
      // a knob the file sets that no switch touches, or a switch --set overrides, says nothing
      const quiet = captureIO();
      expect(await run.run(['--system', 'Xen', '--seed', '1', '--params-file', file, '--set', 'lro=on'], quiet)).toBe(0);
      expect(quiet.errText).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--knobs lists every knob with its value in the preset, and refuses run flags', async () => {
    const io = captureIO();
    expect(await run.run(['--knobs', '--system', 'DA', '--json'], io)).toBe(0);
    const knobs = JSON.parse(io.outText) as Array<{ name: string; value: unknown; doc: string }>;
    const by = new Map(knobs.map((k) => [k.name, k]));
    expect(by.get('flush_every_polls')?.value).toBe(2);
    expect(by.get('netfront_lro')?.value).toBe(false);
    expect(by.get('c_pirq')?.doc).toMatch(/physical IRQ/);
    const text = captureIO();
    expect(await run.run(['--knobs'], text)).toBe(0);
    expect(text.outText).toMatch(/values as in the Xen preset/);
    expect(text.outText).toMatch(/^\s+lro\s+off\s+\[on \| off\]$/m);
    const bad = captureIO();
    expect(await run.run(['--knobs', '--seed', '3'], bad)).toBe(2);
    expect(bad.errText).toMatch(/--knobs takes only --system and --json/);
  });
});

describe('rxlab run over time', () => {
  it('prints a sparkline and the spread after warm-up, and --over-time-csv one row per interval', async () => {
    const io = captureIO();
    expect(await run.run(['--system', 'DA', '--set', 'trace_ms=10', '--set', 'duration_s=0.05', '--set', 'warmup_s=0.01'], io)).toBe(0);
    expect(io.outText).toMatch(/over time\s+6 intervals of 10 ms/);
    expect(io.outText).toMatch(/^ {4}[▁▂▃▄▅▆▇█]{6} {2}Mbit\/s, 0 to \d+$/m);
    expect(io.outText).toMatch(/after warm-up, per interval: min \d+, median \d+, max \d+ Mbit\/s/);

    const csv = captureIO();
    expect(await run.run(['--system', 'DA', '--set', 'trace_ms=10', '--set', 'duration_s=0.05', '--set', 'warmup_s=0.01', '--over-time-csv'], csv)).toBe(0);
    const lines = csv.outText.trimEnd().split('\r\n');
    expect(lines[0]).toBe('t_s,throughput_mbps,rr_transactions_per_s,lro_rate,cpu_dom0,cpu_guest,cpu_xen,cpu_other_guests');
    expect(lines).toHaveLength(7);
    const row = lines[3]!.split(',');
    expect(Number(row[0])).toBeCloseTo(0.03, 12);
    expect(row[2]).toBe(''); // a stream run has no transaction rate
    expect(Number(row[3])).toBeGreaterThan(1); // packets per aggregate

    const bad = captureIO();
    expect(await run.run(['--system', 'DA', '--over-time-csv'], bad)).toBe(2);
    expect(bad.errText).toContain('--set trace_ms=1');
  });
});

describe('rxlab run, a long run', () => {
  it('runs on a worker thread, says how far it is on stderr every second, and gives the in-process result', async () => {
    const io = captureIO();
    try {
      expect(await run.run(['--system', 'Xen', '--seed', '4', '--set', 'duration_s=40', '--set', 'warmup_s=0', '--json'], io)).toBe(0);
    } finally {
      await destroyPool();
    }
    expect(io.outText).toBe(`${JSON.stringify(runSimulation({ system: 'Xen', seed: 4, workload: 'stream', set: { duration_s: '40', warmup_s: '0' } }), null, 2)}\n`);
    // announced at once (0 %), then a line a second: about two seconds of work here
    expect(io.errText).toMatch(/^run: 0 % of 40 s simulated\n(run: \d{1,3} % of 40 s simulated\n)*$/);
  }, 60_000);
});
