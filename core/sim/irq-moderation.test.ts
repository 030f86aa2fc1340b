import { describe, expect, it } from 'vitest';
import { runSimulation } from './run.js';
import type { RunRequest, RunResult } from './types.js';

const SHORT = { duration_s: 0.06, warmup_s: 0.02 };
const run = (system: RunRequest['system'], set: Record<string, string | number | boolean>, seed = 5): RunResult =>
  runSimulation({ system, seed, set: { ...SHORT, ...set } });
/** The output apart from the parameters that name the knobs set (so equal mechanisms compare equal). */
const outputs = (r: RunResult): string => JSON.stringify({ ...r, parameters: undefined });

describe('receive interrupt moderation (rx_irq_delay_us, rx_irq_frames)', () => {
  it('is off in the presets: delay 0 is the preset itself, event for event', () => {
    expect(outputs(run('LRO', { rx_irq_delay_us: 0 }))).toBe(outputs(run('LRO', {})));
  });

  it('a count of one frame raises the interrupt at the first frame, as with no timer', () => {
    expect(outputs(run('LRO', { rx_irq_delay_us: 40, rx_irq_frames: 1 }))).toBe(outputs(run('LRO', {})));
  });

  it('the timer makes fewer interrupts, each poll finding more frames, and LRO aggregating more', () => {
    const off = run('LRO', {});
    const on = run('LRO', { rx_irq_delay_us: 40 });
    expect(on.diagnostics.irqs_per_s).toBeLessThan(off.diagnostics.irqs_per_s * 0.7);
    expect(on.diagnostics.packets_per_poll).toBeGreaterThan(off.diagnostics.packets_per_poll * 1.4);
    expect(on.lro_rate ?? 0).toBeGreaterThan((off.lro_rate ?? 0) * 1.4);
  });

  it('the frame count cuts the wait short: a small count interrupts more often than the timer alone', () => {
    const timerOnly = run('Xen', { rx_irq_delay_us: 100 });
    const counted = run('Xen', { rx_irq_delay_us: 100, rx_irq_frames: 2 });
    expect(counted.diagnostics.irqs_per_s).toBeGreaterThan(timerOnly.diagnostics.irqs_per_s * 1.3);
    // two frames per interrupt at most, plus those that race in while the poll runs
    expect(counted.diagnostics.packets_per_poll).toBeLessThan(timerOnly.diagnostics.packets_per_poll);
  });

  it('adds its delay to each TCP_RR request: the transaction rate falls by about the delay per round trip', () => {
    const off = runSimulation({ system: 'Linux', seed: 5, workload: 'rr', set: SHORT });
    const on = runSimulation({ system: 'Linux', seed: 5, workload: 'rr', set: { ...SHORT, rx_irq_delay_us: 50 } });
    const addedUs = 1e6 / (on.rr_transactions_per_s ?? 1) - 1e6 / (off.rr_transactions_per_s ?? 1);
    // one request frame per transaction waits out the timer (the response leaves without one)
    expect(addedUs).toBeGreaterThan(40);
    expect(addedUs).toBeLessThan(60);
  });
});

describe('a full ring under moderation', () => {
  it('interrupts at once (RxOverflow, RxDescUnavail are not moderated): with a count the ring cannot hold, the timer alone had let it overflow', () => {
    // a 16-frame ring fills in 0.2 ms at 1 Gbit/s; waiting out a 1 ms timer had dropped 28 frames and
    // left 10.9 Mbit/s in this window
    const r = runSimulation({ system: 'Linux', seed: 1, set: { rx_irq_delay_us: 1000, rx_irq_frames: 1024, nic_ring: 16, warmup_s: 0, duration_s: 0.05 } });
    expect(r.drops.nic_ring).toBeLessThan(12);
    expect(r.throughput_mbps).toBeGreaterThan(60);
  });

  it('a window that delivers nothing reports no cycles per byte (null), not 0', () => {
    const r = runSimulation({ system: 'LRO', seed: 1, set: { rx_irq_delay_us: 300, nic_ring: 16 } });
    expect(r.throughput_mbps).toBe(0);
    expect(r.cycles_per_byte).toEqual({ driver: null, guest: null, total: null });
    expect(r.diagnostics.xen_cycles_per_byte).toBeNull();
    expect(r.diagnostics.warmup_drops).toBeGreaterThan(0);
  });
});

describe('warm-up drops', () => {
  it('are counted apart from the window’s drops, which they do not enter', () => {
    const r = run('Xen', { guest_ring: 8, vif_queue: 1 }, 1);
    expect(r.diagnostics.warmup_drops).toBeGreaterThan(0);
    const longerWarmup = run('Xen', { guest_ring: 8, vif_queue: 1, warmup_s: 0.04 }, 1);
    expect(longerWarmup.diagnostics.warmup_drops).toBeGreaterThan(r.diagnostics.warmup_drops);
    // no warm-up, nothing to leave out: every drop is in the window
    expect(run('Xen', { guest_ring: 8, vif_queue: 1, warmup_s: 0 }, 1).diagnostics.warmup_drops).toBe(0);
  });

  it('are 0 in a preset run, which drops nothing', () => {
    expect(run('DA', {}).diagnostics.warmup_drops).toBe(0);
  });
});

describe('runSimulation called directly', () => {
  it('refuses a system that is not one of the five, naming them', () => {
    expect(() => runSimulation({ system: 'XEN' as RunRequest['system'], seed: 1, set: SHORT })).toThrow(/unknown system "XEN": one of Linux, Xen, LRO, BO, DA/);
  });
});
