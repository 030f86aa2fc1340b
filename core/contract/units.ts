/**
 * Throughput units as the traffic tools print them, to Mbit/s (10^6 bits per second). One
 * implementation for the backend's measured tables, the notebook's measured column and the
 * over-time charts, so a log reads the same everywhere. Pure and dependency-free: the renderer
 * imports it as a value.
 */

/** Converts a netperf/iperf3/flent throughput to Mbit/s; null for units it does not know. */
export function toMbps(value: number, units: string | undefined): number | null {
  if (units === undefined) return null;
  const u = units.trim();
  const m = /^(10\^(\d+)|[KMGkmg]?)(bits|Bytes)\/s(?:ec)?$/.exec(u);
  if (m === null) return null;
  let scale: number;
  if (m[2] !== undefined) scale = 10 ** Number(m[2]);
  else {
    const p = m[1] ?? '';
    // netperf's -f k/m/g are 10^3/10^6/10^9 bits; K/M/G are 2^10/2^20/2^30 bytes.
    if (m[3] === 'bits') scale = p === '' ? 1 : p.toLowerCase() === 'k' ? 1e3 : p.toLowerCase() === 'm' ? 1e6 : 1e9;
    else scale = p === '' ? 1 : p.toUpperCase() === 'K' ? 1024 : p.toUpperCase() === 'M' ? 1048576 : 1073741824;
  }
  const bits = m[3] === 'Bytes' ? 8 : 1;
  return (value * scale * bits) / 1e6;
}
