/**
 * A netperf UDP_STREAM run prints two rows: what the sender sent and what the receiver got. The run's
 * `throughput` is the sender's row (as netperf's own summary line is), which on a receive-path
 * study can be far above what arrived — so wherever a run is shown, this says what the receiver got.
 * Pure: the Import cell and `rxlab import` both use it.
 */
export interface UdpReceived {
  sent: number;
  received: number;
  units: string;
  /** Messages the sender sent that the receiver did not count, in % (null when a count is missing). */
  lostPct: number | null;
}

export function udpReceived(rec: unknown): UdpReceived | null {
  const r = rec as { test?: unknown; throughput?: unknown; remote_throughput?: unknown; throughput_units?: unknown; messages_ok?: unknown; remote_messages_ok?: unknown } | null;
  if (r === null || typeof r !== 'object' || r.test !== 'UDP_STREAM') return null;
  if (typeof r.throughput !== 'number' || typeof r.remote_throughput !== 'number') return null;
  const sentMsgs = typeof r.messages_ok === 'number' ? r.messages_ok : null;
  const gotMsgs = typeof r.remote_messages_ok === 'number' ? r.remote_messages_ok : null;
  const lostPct = sentMsgs !== null && gotMsgs !== null && sentMsgs > 0 ? Math.max(0, (100 * (sentMsgs - gotMsgs)) / sentMsgs) : null;
  return { sent: r.throughput, received: r.remote_throughput, units: typeof r.throughput_units === 'string' ? r.throughput_units : '', lostPct };
}

export const fmtRate = (x: number): string => Number(x.toPrecision(6)).toLocaleString('en-US');

/** "received 0 10^6bits/s (100 % of messages lost)" — for a table's note column. */
export function udpReceivedText(u: UdpReceived): string {
  const lost = u.lostPct === null ? '' : ` (${Number(u.lostPct.toPrecision(3))} % of messages lost)`;
  return `received ${fmtRate(u.received)}${u.units ? ` ${u.units}` : ''}${lost}`;
}
