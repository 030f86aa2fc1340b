/**
 * A netperf UDP_STREAM run prints two rows: what the sender sent and what the receiver got. The run's
 * `throughput` is the receiver's (since parser 1.3.0; the sender's is in `extra.sent_throughput`); a
 * log imported before that has the sender's in `throughput`. Wherever a run is shown, this gives both,
 * so a table says the one its column does not. Pure: the Import cell and `rxlab import` both use it.
 */
export interface UdpReceived {
  sent: number;
  received: number;
  units: string;
  /** Messages the sender sent that the receiver did not count, in % (null when a count is missing). */
  lostPct: number | null;
  /** What the record's `throughput` holds: the receiver's rate (new imports) or the sender's (older ones). */
  shown: 'received' | 'sent';
}

export function udpReceived(rec: unknown): UdpReceived | null {
  const r = rec as { test?: unknown; throughput?: unknown; remote_throughput?: unknown; throughput_units?: unknown; messages_ok?: unknown; remote_messages_ok?: unknown; extra?: { sent_throughput?: unknown } } | null;
  if (r === null || typeof r !== 'object' || r.test !== 'UDP_STREAM') return null;
  if (typeof r.throughput !== 'number' || typeof r.remote_throughput !== 'number') return null;
  const sentExtra = r.extra?.sent_throughput;
  const sentMsgs = typeof r.messages_ok === 'number' ? r.messages_ok : null;
  const gotMsgs = typeof r.remote_messages_ok === 'number' ? r.remote_messages_ok : null;
  const lostPct = sentMsgs !== null && gotMsgs !== null && sentMsgs > 0 ? Math.max(0, (100 * (sentMsgs - gotMsgs)) / sentMsgs) : null;
  const units = typeof r.throughput_units === 'string' ? r.throughput_units : '';
  return typeof sentExtra === 'number'
    ? { sent: sentExtra, received: r.remote_throughput, units, lostPct, shown: 'received' }
    : { sent: r.throughput, received: r.remote_throughput, units, lostPct, shown: 'sent' };
}

export const fmtRate = (x: number): string => Number(x.toPrecision(6)).toLocaleString('en-US');

/** The rate the table's column does not show: "sent 2,786.99 10^6bits/sec (100 % of messages lost)". */
export function udpReceivedText(u: UdpReceived): string {
  const lost = u.lostPct === null ? '' : ` (${Number(u.lostPct.toPrecision(3))} % of messages lost)`;
  const other = u.shown === 'received' ? `sent ${fmtRate(u.sent)}` : `received ${fmtRate(u.received)}`;
  return `${other}${u.units ? ` ${u.units}` : ''}${lost}`;
}
