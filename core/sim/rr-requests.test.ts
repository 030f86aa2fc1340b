import { describe, expect, it } from 'vitest';
import { ParamError } from './params.js';
import { runSimulation } from './run.js';
import type { RunResult, SystemName } from './types.js';

const SHORT = { duration_s: 0.06, warmup_s: 0.02 };
const rr = (system: SystemName, requestBytes: number): RunResult =>
  runSimulation({ system, seed: 3, workload: 'rr', set: { ...SHORT, rr_request_bytes: requestBytes } });

describe('TCP_RR requests of more than one segment', () => {
  for (const system of ['Linux', 'Xen'] as const) {
    it(`${system}: the server ACKs every second full segment before it answers; a one-segment request waits for the response`, () => {
      expect(rr(system, 1).acks_per_segment).toBe(0);
      expect(rr(system, 1448).acks_per_segment).toBe(0);
      // two full segments: one immediate ACK per request (__tcp_ack_snd_check), then the response
      expect(rr(system, 2896).acks_per_segment).toBeCloseTo(0.5, 2);
    });
  }

  it('the ACKs cost the server CPU: a two-segment request costs more per transaction than twice one', () => {
    const one = rr('Xen', 1448);
    const two = rr('Xen', 2896);
    const ackTx = (r: RunResult): number => r.cycles_by_function.filter((f) => f.function === 'tcp_send_ack').reduce((s, f) => s + f.cycles, 0);
    const perTx = (r: RunResult, c: number): number => c / ((r.rr_transactions_per_s ?? 1) * r.simulated_s);
    // one response per transaction either way; the two-segment request adds an ACK
    expect(perTx(two, ackTx(two))).toBeGreaterThan(perTx(one, ackTx(one)) * 1.8);
  });

  it('a long request under consolidation is paced and recovered as TCP does: the client counts its timeouts and resends from the server’s ACK', () => {
    // a 16-descriptor ring, and a busy guest that keeps dom0 off the core: a 45-segment request overflows it
    const lossy = runSimulation({ system: 'Xen', seed: 2, workload: 'rr', set: { duration_s: 1, nic_ring: 16, guests: 1, rr_request_bytes: 65536 } });
    expect(lossy.drops.nic_ring).toBeGreaterThan(0);
    expect(lossy.diagnostics.retransmission_timeouts).toBeGreaterThan(0);
    // each timeout resends what the server has not ACKed, starting from one segment: not more than was lost
    expect(lossy.diagnostics.retransmitted_segments).toBeGreaterThan(0);
    expect(lossy.diagnostics.retransmitted_segments).toBeLessThanOrEqual(lossy.drops.nic_ring + lossy.diagnostics.warmup_drops);
    expect(lossy.rr_transactions_per_s ?? 0).toBeGreaterThan(100);
    // without losses nothing is resent and no timer fires, however the server reads the request (window updates are no duplicate ACKs)
    for (const recv_bytes of [512, 87380]) {
      const clean = runSimulation({ system: 'Xen', seed: 1, workload: 'rr', set: { ...SHORT, rr_request_bytes: 65536, recv_bytes } });
      expect([clean.diagnostics.retransmitted_segments, clean.diagnostics.fast_retransmits, clean.diagnostics.retransmission_timeouts]).toEqual([0, 0, 0]);
    }
  });

  it('a stream sender that loses a segment among others recovers by three duplicate ACKs, not by its timer', () => {
    const r = runSimulation({ system: 'Xen', seed: 1, set: { duration_s: 1, warmup_s: 0.5, nic_ring: 16, guests: 1 } });
    expect(r.diagnostics.fast_retransmits).toBeGreaterThan(0);
    expect(r.diagnostics.retransmission_timeouts).toBe(0);
    expect(r.diagnostics.retransmitted_segments).toBeGreaterThan(0);
  });

  it('a request larger than the receive buffer is refused for TCP_RR (the client does not wait for the server’s window), not for a stream run', () => {
    expect(runSimulation({ system: 'Linux', seed: 1, set: { ...SHORT, rr_request_bytes: 65536, rcvbuf_bytes: 16384 } }).throughput_mbps).toBeGreaterThan(0);
    expect(() => runSimulation({ system: 'Linux', seed: 1, workload: 'rr', set: { rr_request_bytes: 65536, rcvbuf_bytes: 16384 } })).toThrow(ParamError);
    expect(() => runSimulation({ system: 'Linux', seed: 1, workload: 'rr', set: { rr_request_bytes: 65536, rcvbuf_bytes: 16384 } })).toThrow(
      /rr_request_bytes.*65536 bytes is more than the server's receive buffer \(rcvbuf_bytes 16384\)/,
    );
  });
});
