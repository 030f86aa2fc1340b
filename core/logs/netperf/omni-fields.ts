import type { LogRecord } from '../types.js';
import { isNumberToken, num } from '../numbers.js';

/**
 * omni output selectors (-k KEY=value names, and the human titles -o/-O print) → record fields.
 * Keys are normalised: upper case, runs of non-alphanumerics → "_".
 */
type NumField =
  | 'throughput' | 'elapsed_s' | 'message_bytes' | 'request_bytes' | 'response_bytes'
  | 'local_send_socket_bytes' | 'local_recv_socket_bytes' | 'remote_send_socket_bytes' | 'remote_recv_socket_bytes'
  | 'cpu_local_pct' | 'cpu_remote_pct' | 'service_demand_local' | 'service_demand_remote' | 'transactions_per_s';

const NUMERIC: Record<string, NumField> = {
  THROUGHPUT: 'throughput',
  ELAPSED_TIME: 'elapsed_s',
  ELAPSED_TIME_SEC: 'elapsed_s',
  LOCAL_SEND_SIZE: 'message_bytes',
  LOCAL_SEND_SIZE_BYTES: 'message_bytes',
  SEND_SIZE: 'message_bytes',
  REQUEST_SIZE: 'request_bytes',
  REQUEST_SIZE_BYTES: 'request_bytes',
  RESPONSE_SIZE: 'response_bytes',
  RESPONSE_SIZE_BYTES: 'response_bytes',
  LSS_SIZE_END: 'local_send_socket_bytes',
  LOCAL_SEND_SOCKET_SIZE_FINAL: 'local_send_socket_bytes',
  LSR_SIZE_END: 'local_recv_socket_bytes',
  LOCAL_RECV_SOCKET_SIZE_FINAL: 'local_recv_socket_bytes',
  RSS_SIZE_END: 'remote_send_socket_bytes',
  REMOTE_SEND_SOCKET_SIZE_FINAL: 'remote_send_socket_bytes',
  RSR_SIZE_END: 'remote_recv_socket_bytes',
  REMOTE_RECV_SOCKET_SIZE_FINAL: 'remote_recv_socket_bytes',
  LOCAL_CPU_UTIL: 'cpu_local_pct',
  REMOTE_CPU_UTIL: 'cpu_remote_pct',
  LOCAL_SD: 'service_demand_local',
  LOCAL_SERVICE_DEMAND: 'service_demand_local',
  REMOTE_SD: 'service_demand_remote',
  REMOTE_SERVICE_DEMAND: 'service_demand_remote',
  TRANSACTION_RATE: 'transactions_per_s',
  TRANSACTION_RATE_TRAN_S: 'transactions_per_s',
};

/** What netperf prints for a value it could not compute (HewlettPackard/netperf#83: "-nan"). */
export const NAN_WORD = /^[-+]?(?:nan|inf(?:inity)?)$/i;

export function normaliseKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/**
 * Applies one named omni value to a record; every value is also kept verbatim in `extra`. Returns
 * why a throughput or transaction rate was left empty ("-nan", "1e309", negative), for a warning;
 * null otherwise.
 */
export function applyOmniField(rec: LogRecord, name: string, value: string): string | null {
  const key = normaliseKey(name);
  const v = value.trim();
  // In place: a damaged -O row can have thousands of columns, and copying per field is quadratic.
  if (rec.extra === undefined) rec.extra = {};
  rec.extra[key] = v;
  if (key === 'THROUGHPUT_UNITS') {
    rec.throughput_units = v;
    if (/^trans/i.test(v) && rec.throughput !== undefined) rec.transactions_per_s = rec.throughput;
    return null;
  }
  if (key === 'SD_UNITS' || key === 'SERVICE_DEMAND_UNITS') {
    rec.service_demand_units = v;
    return null;
  }
  if (key === 'DIRECTION') return null;
  const field = NUMERIC[key];
  if (field === undefined) return null;
  const n = num(v);
  if (field === 'throughput' || field === 'transactions_per_s') {
    // The values the tables use: one netperf could not compute, or an impossible one, is left
    // empty and said, not dropped unsaid (num() gives null for "-nan" and "1e309" alike).
    const why = n !== null ? (n < 0 ? 'negative' : null) : isNumberToken(v) ? 'too large for a number' : NAN_WORD.test(v) ? 'not a number (netperf prints it for a value it could not compute)' : null;
    if (why !== null) return `${key} "${v.slice(0, 40)}" is ${why}`;
  }
  if (n === null) return null;
  rec[field] = n;
  if (field === 'throughput') {
    rec.throughput_text = v;
    if (rec.throughput_units !== undefined && /^trans/i.test(rec.throughput_units)) rec.transactions_per_s = n;
  }
  return null;
}
