import type { Tool } from './types.js';

/** How the importer must read the file once its tool is known. */
export type Shape =
  | { tool: 'netperf'; via: 'lines' }
  | { tool: 'netperf'; via: 'json-strings' }
  | { tool: 'oprofile'; via: 'lines' }
  | { tool: 'oprofile'; via: 'xml' }
  | { tool: 'perf'; via: 'lines' }
  | { tool: 'iperf3'; via: 'json' }
  | { tool: 'flent'; via: 'gzip-json' }
  | { tool: 'flent'; via: 'json' };

export const DETECT_BYTES = 64 * 1024;

/**
 * Decides the tool from the content of the file's head (never its name): each tool has lines no
 * other tool prints. Scores rather than first-match, because logs mix prompts and commands with
 * output and a netperf command line mentions words an opreport header also uses.
 */
export function detectShape(head: Uint8Array): Shape | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { tool: 'flent', via: 'gzip-json' };
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
