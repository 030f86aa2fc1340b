import { constants, gunzipSync } from 'node:zlib';
import type { Tool } from './types.js';

/**
 * How the importer must read the file once its tool is known. `gzip`: the log is gzip-compressed
 * (an archived netperf.log.gz or opreport.txt.gz); what is inside has this shape. flent's own
 * .flent.gz is its native form, `gzip-json`.
 */
export type Shape = (
  | { tool: 'netperf'; via: 'lines' }
  | { tool: 'netperf'; via: 'json-strings' }
  | { tool: 'oprofile'; via: 'lines' }
  | { tool: 'oprofile'; via: 'xml' }
  | { tool: 'perf'; via: 'lines' }
  | { tool: 'iperf3'; via: 'json' }
  | { tool: 'flent'; via: 'gzip-json' }
  | { tool: 'flent'; via: 'json' }
) & { gzip?: true };

export const DETECT_BYTES = 64 * 1024;

/** iperf3 -J opens with {"start": {"connected": [...]}; flent results never carry these keys. */
const IPERF3_HEAD = /"connected"\s*:|"intervals"\s*:/;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The start of what a gzip head decompresses to, for detection: DETECT_BYTES of text, as plain
 * text gives, from the first 16 KiB of compressed data or, for data that compresses less than 4:1,
 * from all of the head (at most ≈ 66 MB even at deflate's extreme ratio); flushed without requiring
 * the end of the stream. Empty when the data is not valid gzip.
 */
function gunzipHead(head: Uint8Array): Buffer {
  const inflate = (n: number): Buffer => {
    try {
      return gunzipSync(head.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return Buffer.alloc(0);
    }
  };
  let out = inflate(16 * 1024);
  if (out.length < DETECT_BYTES && head.length > 16 * 1024) out = inflate(head.length);
  return out.subarray(0, DETECT_BYTES);
}

/**
 * Decides the tool from the content of the file's head (never its name): each tool has lines no
 * other tool prints. Scores rather than first-match, because logs mix prompts and commands with
 * output and a netperf command line mentions words an opreport header also uses.
 */
export function detectShape(head: Uint8Array): Shape | null {
  if (isGzip(head)) {
    const inflated = gunzipHead(head);
    const inner = detectText(inflated);
    if (inner === null) return null;
    // A gzip-compressed JSON object is flent's own .flent.gz (whose head need not show flent's
    // keys), unless it starts like iperf3 -J output.
    if (inner.tool === 'iperf3' && IPERF3_HEAD.test(inflated.toString('utf8'))) return { ...inner, gzip: true };
    if (inner.tool === 'flent' || inner.tool === 'iperf3') return { tool: 'flent', via: 'gzip-json' };
    return { ...inner, gzip: true };
  }
  return detectText(head);
}

/** detectShape for uncompressed content (a gzip inside a gzip is not looked into). */
function detectText(head: Uint8Array): Shape | null {
  if (isGzip(head)) return null;
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, DETECT_BYTES)).toString('utf8');
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('<?xml') || t.startsWith('<profile')) {
    if (/<profile\b/.test(t) || /opreport/.test(t)) return { tool: 'oprofile', via: 'xml' };
    return null;
  }
  if (t.startsWith('{')) {
    if (/"x_values"|"raw_values"|"FLENT_VERSION"/.test(t)) return { tool: 'flent', via: 'json' };
    return { tool: 'iperf3', via: 'json' };
  }
  if (t.startsWith('[')) {
    if (/\bTEST\b|THROUGHPUT|Throughput/.test(t)) return { tool: 'netperf', via: 'json-strings' };
    return null;
  }
  const score: Record<Tool, number> = { netperf: 0, oprofile: 0, perf: 0, iperf3: 0, flent: 0 };
  const lines = t.split('\n', 400);
  for (const raw of lines) {
    const l = raw.trim();
    if (l === '') continue;
    if (l.startsWith('#')) {
      if (/^# (Samples|Overhead|Children|Event count|Total Lost Samples|========|captured on|perf version|cmdline)\b/.test(l)) score.perf += 5;
      continue;
    }
    if (/^CPU: .*speed/.test(l) || /^Counted \S+ events\b/.test(l)) score.oprofile += 10;
    else if (/^(vma\s+)?samples\s+%/.test(l) || /^samples\|\s+%\|/.test(l) || /^[A-Za-z_]+\.\.\.\|$/.test(l)) score.oprofile += 8;
    else if (/\bTEST\s+(from|to)\b/.test(l) || /^Interim result:/.test(l) || /^THROUGHPUT(_UNITS)?=/.test(l)) score.netperf += 10;
    else if (/^(Recv\s+Send\s+Send|Socket\s+Size\s+Request|Socket\s+Message\s+Elapsed|Local \/Remote)/.test(l)) score.netperf += 8;
    else if (/^(establish[ _]control\b|netperf: |send_data: |recv_response|netperf_response|complete_addrinfo)/.test(l)) score.netperf += 10;
    else if (/(^|[\s/#$>])netperf\s+(-\S|$)/.test(l)) score.netperf += 2;
    else if (/\[[k.]\]\s/.test(l) && /%/.test(l)) score.perf += 2;
    else if (/^\d+\s+[\d.e+-]+(\s+\d+\s+[\d.e+-]+)*\s+\S/.test(l) && /^\d+\s+\d+(\.\d+)?(e[-+]?\d+)?\s+[^\d\s]/.test(l)) score.oprofile += 1;
    else if (/^\d+\s+\d+(\.\d+)?\s+\d+(\.\d+)?\s+\d+(\.\d+)?/.test(l) || /^[-\d.]+,[A-Za-z]/.test(l) || /^\d+(\.\d+)?\s+-\S/.test(l)) score.netperf += 1;
    if (/^\d+\s+\d+(\.\d+)?\s+\d+\s+\d+(\.\d+)?\s+domain\d+-/.test(l)) score.oprofile += 5;
  }
  let best: Tool | null = null;
  let bestScore = 0;
  for (const k of ['oprofile', 'perf', 'netperf'] as const) {
    if (score[k] > bestScore) {
      best = k;
      bestScore = score[k];
    }
  }
  if (best === null) return null;
  return { tool: best, via: 'lines' } as Shape;
}
