import type { LogRecord } from '../types.js';

/** netperf's banner wording → the -t name a user typed. Longest phrases first. */
const TEST_NAMES: Array<[string, string]> = [
  ['TCP MAERTS', 'TCP_MAERTS'],
  ['TCP STREAM', 'TCP_STREAM'],
  ['TCP SENDFILE', 'TCP_SENDFILE'],
  ['TCP Connect/Request/Response', 'TCP_CRR'],
  ['TCP Transactional/Request/Response', 'TCP_TRR'],
  ['TCP REQUEST/RESPONSE', 'TCP_RR'],
  ['UDP UNIDIRECTIONAL SEND', 'UDP_STREAM'],
  ['UDP STREAM', 'UDP_STREAM'],
  ['UDP REQUEST/RESPONSE', 'UDP_RR'],
  ['SCTP 1-TO-MANY STREAM', 'SCTP_STREAM_MANY'],
  ['SCTP 1-TO-MANY REQUEST/RESPONSE', 'SCTP_RR_MANY'],
  ['SCTP STREAM', 'SCTP_STREAM'],
  ['SCTP REQUEST/RESPONSE', 'SCTP_RR'],
  ['OMNI', 'OMNI'],
];

export function testNameFromBanner(words: string): string {
  for (const [phrase, name] of TEST_NAMES) if (words === phrase) return name;
  for (const [phrase, name] of TEST_NAMES) if (words.endsWith(phrase)) return name;
  return words.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '') || 'UNKNOWN';
}

const BANNER = /^(MIGRATED\s+)?([A-Za-z0-9][A-Za-z0-9/ -]*?)\s+TEST(?:\s+(?:from|to)\b|\s*$|\s+:)/;

/** Cheap pre-test so the regex only runs on candidate lines. */
export function mayBeBanner(t: string): boolean {
  // Real banners are < 300 characters; the bound keeps the lazy regex below from going quadratic.
  // Header rows (Recv/Socket/Size/Send/bytes/Local) never contain " TEST": skip the scan for them.
  const c = t.charCodeAt(0);
  if (c === 82 || c === 98 || c === 76 || (c === 83 && !t.startsWith('SCTP'))) return false;
  return t.length < 1024 && hasSpaceTest(t);
}

/** t contains " TEST" (a char loop: String#includes costs several times more on these short lines). */
function hasSpaceTest(t: string): boolean {
  const n = t.length - 3;
  for (let i = 1; i < n; i++) {
    if (t.charCodeAt(i) === 84 && t.charCodeAt(i - 1) === 32 && t.charCodeAt(i + 1) === 69 && t.charCodeAt(i + 2) === 83 && t.charCodeAt(i + 3) === 84) return true;
  }
  return false;
}

/** Parses a netperf banner line (2.2 `TEST to`, 2.4 `from … to …`, MIGRATED, IPv6); null if it is not one. */
export function parseBanner(t: string, line: number): LogRecord | null {
  const m = BANNER.exec(t);
  if (m === null) return null;
  const words = (m[2] ?? '').trim();
  const rec: LogRecord = { line, test: testNameFromBanner(words), banner: t };
  if (m[1] !== undefined) rec.migrated = true;
  const rest = t.slice(m[0].length - (m[0].endsWith(':') ? 1 : 0));
  if (/\bAF_INET6\b/.test(t)) rec.family = 'AF_INET6';
  else if (/\bAF_INET\b/.test(t)) rec.family = 'AF_INET';
  const to = /\sto\s+(\S+)/.exec(t);
  if (to?.[1] !== undefined) rec.remote_host = to[1];
  const colon = rest.indexOf(' : ');
  const tail = colon >= 0 ? rest.slice(colon + 3) : rest.trimStart().startsWith(':') ? rest.trimStart().slice(1) : '';
  if (tail.trim() !== '') {
    const opts: string[] = [];
    for (const raw of tail.split(' : ')) {
      const item = raw.trim();
      if (item === '') continue;
      if (item.includes('conf.')) {
        rec.confidence = { ...(rec.confidence ?? {}), requested: item };
        continue;
      }
      const burst = /^first burst (\d+)$/.exec(item);
      if (burst?.[1] !== undefined) {
        rec.extra = { ...(rec.extra ?? {}), first_burst: Number(burst[1]) };
        continue;
      }
      opts.push(item);
    }
    if (opts.length > 0) rec.extra = { ...(rec.extra ?? {}), banner_options: opts.join(' : ') };
  }
  return rec;
}
