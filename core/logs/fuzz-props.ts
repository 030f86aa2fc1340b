import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LogParseError } from './errors.js';
import { importBytesAs, importBytesSync, type Shape } from './import.js';
import { netperfRun, opreportHeader, opreportRow, rng } from './generate.js';
import { realLogsDir } from './real-logs-dir.js';
import type { ImportDoc } from './types.js';

/**
 * Property-based robustness checks shared by the vitest suite (≥ 10,000 inputs per parser) and
 * `npm run fuzz` (≥ 100,000): on any generated or mutated input a parser returns an ImportDoc or
 * throws LogParseError whose message is `FILE:LINE: what is wrong` — never another exception,
 * never more than 1 s.
 */

export type FuzzTarget = 'netperf' | 'oprofile' | 'oprofile-xml' | 'perf' | 'iperf3' | 'flent' | 'detect';

export const SHAPES: Record<Exclude<FuzzTarget, 'detect'>, Shape> = {
  netperf: { tool: 'netperf', via: 'lines' },
  oprofile: { tool: 'oprofile', via: 'lines' },
  'oprofile-xml': { tool: 'oprofile', via: 'xml' },
  perf: { tool: 'perf', via: 'lines' },
  iperf3: { tool: 'iperf3', via: 'json' },
  flent: { tool: 'flent', via: 'gzip-json' },
};

const MAX_SEED_CHARS = 3000;

/** Real samples (trimmed to their head so each input stays small) as mutation seeds. */
export function seeds(target: FuzzTarget): string[] {
  const dirOf: Record<FuzzTarget, string[]> = {
    netperf: ['netperf'],
    oprofile: ['oprofile'],
    'oprofile-xml': ['oprofile'],
    perf: ['perf'],
    iperf3: ['iperf3'],
    flent: ['flent'],
    detect: ['netperf', 'oprofile', 'perf', 'iperf3'],
  };
  const out: string[] = [];
  for (const d of dirOf[target]) {
    let files: string[] = [];
    try {
      files = readdirSync(join(realLogsDir(), d));
    } catch {
      continue;
    }
    for (const f of files) {
      const isXml = f.endsWith('.xml');
      if ((target === 'oprofile-xml') !== isXml && d === 'oprofile') continue;
      if (f.endsWith('.gz')) {
        // flent seeds: a small synthetic document in the same schema as the real ones.
        continue;
      }
      const text = readFileSync(join(realLogsDir(), d, f), 'utf8');
      // JSON seeds stay whole (a cut document only exercises the error path); text is trimmed.
      out.push(isXml ? trimXml(text) : f.endsWith('.json') ? text : text.slice(0, MAX_SEED_CHARS));
    }
  }
  if (target === 'flent') out.push(flentDoc(3), flentDoc(4));
  if (target === 'oprofile') out.push(opreportHeader() + Array.from({ length: 8 }, (_, i) => opreportRow(rng(i), i)).join(''));
  if (target === 'netperf') out.push(Array.from({ length: 4 }, (_, i) => netperfRun(rng(i), i)).join(''));
  return out;
}

function trimXml(text: string): string {
  const cut = text.indexOf('</binary>');
  const head = cut > 0 ? text.slice(0, Math.min(cut, 1500)) : text.slice(0, 1500);
  const tableAt = text.indexOf('<symboltable>');
  const table = tableAt > 0 ? text.slice(tableAt, tableAt + 600) : '';
  return `${head.slice(0, head.lastIndexOf('</symbol>') + 9)}\n</binary>\n${table.slice(0, table.lastIndexOf('/>') + 2)}\n</symboltable>\n</profile>\n`;
}

function flentDoc(version: number): string {
  return JSON.stringify({
    version,
    metadata: { NAME: 'tcp_1up', LENGTH: 10, SERIES_META: { 'TCP upload': { UNITS: 'Mbits/s', MEAN_VALUE: 939.47, SEND_SIZE: 16384 } } },
    results: { 'TCP upload': [null, 900.5, 941.2, 950], 'TCP upload::tcp_rtt': [1, 2, 3, 4], 'Ping (ms) ICMP': [10.1, 12.3, null, 11] },
    x_values: [0, 0.2, 0.4, 0.6],
    raw_values: {},
  });
}

/** Lines in the vocabulary of each tool, recombined at random. */
const VOCAB = [
  'TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to host (1.2.3.4) port 0 AF_INET : demo',
  'MIGRATED TCP REQUEST/RESPONSE TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to',
  'UDP UNIDIRECTIONAL SEND TEST from :: (::) port 0 AF_INET6 to x () port 0 AF_INET6 : +/-2.5% @ 99% conf.',
  'Recv   Send    Send                          Utilization       Service Demand',
  'Socket Socket  Message  Elapsed              Send     Recv     Send    Recv',
  'bytes  bytes   bytes    secs.    10^6bits/s  % S      % S      us/KB   us/KB',
  'Local /Remote',
  'Socket Size   Request  Resp.   Elapsed  Trans.',
  'Socket  Message  Elapsed      Messages                   CPU      Service',
  'Alignment      Offset',
  ' 87380  16384  16384    10.00    2997.84   ',
  '16384  87380  1        1       10.00    29150.15   ',
  '212992           300.00    35314623           61689.4     24.11    3.977 ',
  'Interim result:   36.46 10^6bits/s over 2.01 seconds ending at 1327963880.565',
  '!!! Confidence intervals: Throughput      :  6.8%',
  'THROUGHPUT=60074.74',
  'Throughput,Throughput Units',
  '60999.07,Trans/s',
  'Histogram of request/response times',
  'UNIT_USEC     :    0:    0:    0',
  'HIST_TOTAL:      35391',
  'establish control: are you sure there is a netserver listening on x at port 12865?',
  'CPU: Core 2, speed 2400.08 MHz (estimated)',
  'Counted CPU_CLK_UNHALTED events (Clock cycles when not halted) with a unit mask',
  'of 0x01 (Unhalted bus cycles) count 750000',
  'samples  %        image name               symbol name',
  'vma      samples  %           image name               symbol name',
  'samples %       samples  %      samples %  app name                         symbol name',
  '130946    8.7017  bash                     (no symbols)',
  '0804be10 14971    28.1993     oprofiled                odb_insert',
  '  84590    66.4838  libc-2.3.2.so            strfry [self]',
  'CPU_CLK_UNHALT...|',
  '  samples|      %|',
  '------------------',
  '    27344 100.000 java',
  '            27236  99.605 anon (tgid:12135 range:0xb2cb8000-0xb2e80000)',
  '     538 12.7973     11947 10.1256 domain2-apps',
  '32      91.4286 15      93.7500 0      0  xen-syms-2.6.18-53.1.14.el5.debug pit_read_counter',
  '# Samples: 8K of event \'cycles:pp\'',
  '# Event count (approx.): 8895026685',
  '# Children      Self  Shared Object        Symbol',
  '# ........  ........  ...................  ..............',
  '    82.61%     0.42%  [kernel.kallsyms]    [k] cpu_startup_entry',
  '81.41% cpu_startup_entry;start_secondary',
  '...',
  '',
  '   ',
];

const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...VOCAB) },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.oneof(fc.integer({ min: 0, max: 1e9 }).map(String), fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map((x) => x.toFixed(3)), fc.constantFrom('%', ':', '|', '-', 'e+06', '0x1f')), { maxLength: 8 })
      .map((a) => a.join('  ')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

const generated = fc.array(line, { maxLength: 40 }).map((ls) => ls.join('\n'));

type Mutation = (s: string, r: () => number) => string;
const MUTATIONS: Mutation[] = [
  (s, r) => s.slice(0, Math.floor(r() * s.length)),
  (s, r) => {
    const ls = s.split('\n');
    ls.splice(Math.floor(r() * ls.length), 1);
    return ls.join('\n');
  },
  (s, r) => {
    const ls = s.split('\n');
    const i = Math.floor(r() * ls.length);
    ls.splice(i, 0, ls[Math.floor(r() * ls.length)] ?? '');
    return ls.join('\n');
  },
  (s, r) => {
    const i = Math.floor(r() * s.length);
    return s.slice(0, i) + String.fromCharCode(Math.floor(r() * 0x3000)) + s.slice(i + 1);
  },
  (s, r) => {
    const i = Math.floor(r() * s.length);
    return s.slice(0, i) + (VOCAB[Math.floor(r() * VOCAB.length)] ?? '') + '\n' + s.slice(i);
  },
  (s, r) => s.replace(/\d/g, (d) => (r() < 0.05 ? 'x' : r() < 0.05 ? '9999999999999999999' : d)),
  (s) => s.replace(/\n/g, '\r\n'),
  (s, r) => {
    const i = Math.floor(r() * s.length);
    return s.slice(0, i) + 'a '.repeat(Math.floor(r() * 2000)) + s.slice(i);
  },
  (s, r) => {
    const i = Math.floor(r() * s.length);
    const j = Math.floor(r() * s.length);
    return s.slice(0, Math.min(i, j)) + s.slice(Math.max(i, j));
  },
  (s, r) => s.replace(/[{}[\]<>"]/g, (c) => (r() < 0.1 ? '' : c)),
];

/** A seed with 1–4 random mutations applied. */
export function mutatedArb(target: FuzzTarget): fc.Arbitrary<string> {
  const ss = seeds(target);
  return fc.tuple(fc.integer({ min: 0, max: Math.max(0, ss.length - 1) }), fc.integer(), fc.integer({ min: 1, max: 4 })).map(([k, seed, count]) => {
    const r = rng(seed);
    let s = ss[k] ?? '';
    for (let m = 0; m < count; m++) s = (MUTATIONS[Math.floor(r() * MUTATIONS.length)] ?? ((x: string) => x))(s, r);
    return s;
  });
}

/** Half generated from the vocabulary, half mutated real samples. */
export function inputArb(target: FuzzTarget): fc.Arbitrary<string> {
  return fc.oneof(generated, mutatedArb(target));
}

export interface FuzzOutcome {
  ok: boolean;
  parsed: boolean;
  ms: number;
  problem?: string;
}

const FILE = 'fuzz.log';
const MESSAGE = /^fuzz\.log:[1-9]\d*: \S/;

function checkDoc(doc: ImportDoc): string | null {
  if (!Array.isArray(doc.records) || !Array.isArray(doc.profiles) || !Array.isArray(doc.warnings)) return 'ImportDoc arrays missing';
  if (typeof doc.format !== 'string') return 'format missing';
  for (const r of doc.records) if (!(r.line >= 1)) return `record without a line: ${JSON.stringify(r).slice(0, 200)}`;
  for (const p of doc.profiles) for (const row of p.rows) if (row.samples.some((x) => !Number.isFinite(x))) return 'non-finite samples';
  return null;
}

/** Runs one input through a parser and reports whether it behaved. */
export function runOne(target: FuzzTarget, text: string): FuzzOutcome {
  let bytes: Uint8Array = Buffer.from(text, 'utf8');
  if (target === 'flent') bytes = gzipSync(bytes);
  const t0 = performance.now();
  try {
    const r = target === 'detect' ? importBytesSync(FILE, bytes) : importBytesAs(SHAPES[target], FILE, bytes);
    const ms = performance.now() - t0;
    const problem = checkDoc(r.doc);
    if (problem !== null) return { ok: false, parsed: true, ms, problem };
    JSON.stringify(r.doc);
    return { ok: ms < 1000, parsed: true, ms, ...(ms >= 1000 ? { problem: `took ${ms.toFixed(0)} ms` } : {}) };
  } catch (e) {
    const ms = performance.now() - t0;
    if (!(e instanceof LogParseError)) return { ok: false, parsed: false, ms, problem: `threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e)}` };
    if (!MESSAGE.test(e.message) || !(e.line >= 1)) return { ok: false, parsed: false, ms, problem: `error without FILE:LINE: ${e.message}` };
    return { ok: ms < 1000, parsed: false, ms, ...(ms >= 1000 ? { problem: `took ${ms.toFixed(0)} ms` } : {}) };
  }
}

/** `base` cut short and with one byte changed. */
function corruptArb(base: Buffer): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: base.length })).map(([i, v, cut]) => {
    const b = Buffer.from(base.subarray(0, cut));
    if (i < b.length) b[i] = v;
    return b;
  });
}

/** Corrupts gzip bytes directly (flent files are gzip first, JSON second). */
export function gzipCorruptArb(): fc.Arbitrary<Uint8Array> {
  return corruptArb(gzipSync(Buffer.from(flentDoc(4))));
}

export function runGzip(bytes: Uint8Array): FuzzOutcome {
  const t0 = performance.now();
  try {
    importBytesAs(SHAPES.flent, FILE, bytes);
    return { ok: true, parsed: true, ms: performance.now() - t0 };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof LogParseError && MESSAGE.test(e.message)) return { ok: true, parsed: false, ms };
    return { ok: false, parsed: false, ms, problem: `threw ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * The same input gzip-compressed, through detection: it must import exactly as the plain text
 * does (format marked "(gzip)"), or fail with FILE:LINE as the plain text does.
 */
export function runGzipped(text: string): FuzzOutcome {
  const plain = Buffer.from(text, 'utf8');
  const t0 = performance.now();
  const attempt = (b: Uint8Array): { doc?: unknown; error?: string } => {
    try {
      return { doc: importBytesSync(FILE, b).doc };
    } catch (e) {
      if (e instanceof LogParseError && MESSAGE.test(e.message)) return { error: 'LogParseError' };
      return { error: `threw ${e instanceof Error ? e.message : String(e)}` };
    }
  };
  const a = attempt(plain);
  const b = attempt(gzipSync(plain));
  const ms = performance.now() - t0;
  if (b.error !== undefined && b.error !== 'LogParseError') return { ok: false, parsed: false, ms, problem: b.error };
  // plain text detection may find no tool where a gzip head decodes to the same text: both refuse
  if (a.error !== undefined || b.error !== undefined) return { ok: a.error === b.error, parsed: false, ms, ...(a.error !== b.error ? { problem: `plain: ${a.error ?? 'ok'}, gzipped: ${b.error ?? 'ok'}` } : {}) };
  const want = { ...(a.doc as ImportDoc), format: `${(a.doc as ImportDoc).format} (gzip)` };
  const same = JSON.stringify(want) === JSON.stringify(b.doc);
  return { ok: same && ms < 2000, parsed: true, ms, ...(same ? {} : { problem: 'gzipped input imported differently' }) };
}

/** A gzip-compressed text log, corrupted or cut: FILE:LINE or a document, never anything else. */
export function gzipTextCorruptArb(): fc.Arbitrary<Uint8Array> {
  let text = '';
  const r = rng(5);
  for (let i = 0; i < 8; i++) text += netperfRun(r, i);
  return corruptArb(gzipSync(Buffer.from(text)));
}

export function runGzipText(bytes: Uint8Array): FuzzOutcome {
  const t0 = performance.now();
  try {
    importBytesSync(FILE, bytes);
    return { ok: true, parsed: true, ms: performance.now() - t0 };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof LogParseError && MESSAGE.test(e.message) && e.line >= 1) return { ok: true, parsed: false, ms };
    return { ok: false, parsed: false, ms, problem: `threw ${e instanceof Error ? e.message : String(e)}` };
  }
}
