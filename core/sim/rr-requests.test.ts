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

  it('a request larger than the receive buffer is refused for TCP_RR (the client sends it whole, without a window), not for a stream run', () => {
    expect(runSimulation({ system: 'Linux', seed: 1, set: { ...SHORT, rr_request_bytes: 65536, rcvbuf_bytes: 16384 } }).throughput_mbps).toBeGreaterThan(0);
    expect(() => runSimulation({ system: 'Linux', seed: 1, workload: 'rr', set: { rr_request_bytes: 65536, rcvbuf_bytes: 16384 } })).toThrow(ParamError);
    expect(() => runSimulation({ system: 'Linux', seed: 1, workload: 'rr', set: { rr_request_bytes: 65536, rcvbuf_bytes: 16384 } })).toThrow(
      /rr_request_bytes.*65536 bytes is more than the server's receive buffer \(rcvbuf_bytes 16384\)/,
    );
  });
});
