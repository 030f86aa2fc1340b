import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { detectShape } from '../detect.js';
import { LogParseError } from '../errors.js';
import { importBytesAs, importBytesSync, importFile } from '../import.js';
import { runOne } from '../fuzz-props.js';
import { measuredTables } from '../measured/tables.js';
import { rng } from '../generate.js';
import type { ImportDoc, Profile, ProfileRow } from '../types.js';

// Synthetic fixtures (see fixtures/README.md): laid out as oprofile's diff_formatter prints them.
const ONE_IMAGE = fileURLToPath(new URL('./fixtures/synthetic-opreport-diff-one-image.txt', import.meta.url));
const XEN_TWO_EVENTS = fileURLToPath(new URL('./fixtures/synthetic-opreport-diff-xen-two-events.txt', import.meta.url));
const ACCUMULATED = fileURLToPath(new URL('./fixtures/synthetic-opreport-diff-accumulated.txt', import.meta.url));

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (path: string): string => readFileSync(path, 'utf8');
const only = (d: ImportDoc): Profile => {
  expect(d.profiles).toHaveLength(1);
  return d.profiles[0] as Profile;
};
const cols = (r: ProfileRow): unknown[] => [r.image, r.symbol, r.samples, r.percent, r.diff_percent];
/** Drops the CPU, Counted and column header lines: what `opreport --no-header` prints. */
const noHeader = (s: string): string =>
  s
    .split('\n')
    .filter((l) => !/^(CPU:|Counted |samples )/.test(l))
    .join('\n');

describe('opreport differential output', () => {
  it('one image, one event: samples, % and diff % as printed, "+++"/"---" kept as text', async () => {
    const d = (await importFile(ONE_IMAGE)).doc;
    expect(d.tool).toBe('oprofile');
    expect(d.format).toBe('opreport differential');
    expect(d.warnings).toEqual([]);
    const p = only(d);
    expect(p.differential).toBe(true);
    expect(p).toMatchObject({ cpu: 'Core 2', cpu_mhz: 2400.08, columns: ['CPU_CLK_UNHALTED'], row_count: 7 });
    expect(p.events).toEqual([{ name: 'CPU_CLK_UNHALTED', count: 100000, unit_mask: '0x00', description: 'Clock cycles when not halted' }]);
    expect(p.rows.map(cols)).toEqual([
      [null, 'main_loop', [40995], [54.4386], [0.0249]],
      [null, 'checksum', [9010], [11.9647], [0.00056]],
      [null, 'hash_lookup', [9000], [11.9514], [0]],
      [null, 'parse_input', [9000], [11.9514], [-0.25]],
      [null, 'new_helper', [7000], [9.2955], ['+++']],
      // Gone from the second profile: opreport prints the first profile's count and no share.
      [null, 'old_helper', [5000], [null], ['---']],
      [null, 'spin_unlock', [300], [0.3984], [0]],
    ]);
    expect(p.rows.map((r) => r.line)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(p.rows.every((r) => r.role === 'primary' && r.depth === 0 && r.domain === 'native' && r.app === null && r.vma === null)).toBe(true);
    // The second profile only: 75,305 − old_helper's 5,000 first-profile samples are not in it.
    expect(p.domain_totals).toEqual([{ domain: 'native', samples: [40995 + 9010 + 9000 + 9000 + 7000 + 300] }]);
  });

  it('xenoprof, two events, image and symbol columns: domains from images, totals of the second profile', async () => {
    const p = only((await importFile(XEN_TWO_EVENTS)).doc);
    expect(p.differential).toBe(true);
    expect(p.columns).toEqual(['GLOBAL_POWER_EVENTS', 'INSTR_RETIRED']);
    expect(p.events.map((e) => [e.name, e.count])).toEqual([
      ['GLOBAL_POWER_EVENTS', 100000],
      ['INSTR_RETIRED', 1000000],
    ]);
    expect(p.row_count).toBe(10);
    expect(cols(p.rows[0] as ProfileRow)).toEqual(['vmlinux-2.6.18-xen0', 'skb_copy_bits', [801234, 38000], [19.9741, 22.1605], [-0.1036, -0.061]]);
    expect(cols(p.rows[5] as ProfileRow)).toEqual(['domain1-kernel', 'tcp_v4_rcv', [401234, 15000], [10.0025, 8.7476], [0.0203, -0.0085]]);
    expect(cols(p.rows[7] as ProfileRow)).toEqual(['xen-syms-3.1.1', 'gnttab_transfer', [150000, 6000], [3.7394, 3.499], ['+++', '+++']]);
    expect(cols(p.rows[8] as ProfileRow)).toEqual(['vmlinux-2.6.18-xen0', 'gnttab_copy_grant_page', [120000, 5000], [null, null], ['---', '---']]);
    // A scientific percent and a bare "0" percent next to "+++".
    expect(cols(p.rows[9] as ProfileRow)).toEqual(['domain1-kernel', 'netif_poll', [1, 0], [0.000025, 0], ['+++', '+++']]);
    expect(p.rows.map((r) => r.domain)).toEqual(['driver', 'guest1', 'hypervisor', 'driver', 'driver', 'guest1', 'hypervisor', 'hypervisor', 'driver', 'guest1']);
    // gnttab_copy_grant_page ("---", 120,000 / 5,000 first-profile samples) is not in the driver total.
    expect(p.domain_totals).toEqual([
      { domain: 'driver', samples: [801234 + 600000 + 455555, 38000 + 29876 + 18000] },
      { domain: 'guest1', samples: [712345 + 401234 + 1, 31500 + 15000 + 0] },
      { domain: 'hypervisor', samples: [610987 + 280000 + 150000, 24000 + 9100 + 6000] },
    ]);
  });

  it('is detected by content, with and without headers', () => {
    for (const f of [ONE_IMAGE, XEN_TWO_EVENTS]) {
      expect(detectShape(enc(text(f)))).toEqual({ tool: 'oprofile', via: 'lines' });
      expect(detectShape(enc(noHeader(text(f))))).toEqual({ tool: 'oprofile', via: 'lines' });
    }
  });

  it('--no-header output: the signed diff column marks it differential; name columns counted from the row', () => {
    const withHeader = only(importBytesSync('a.txt', enc(text(ONE_IMAGE))).doc);
    const bare = only(importBytesSync('a.txt', enc(noHeader(text(ONE_IMAGE)))).doc);
    expect(bare.differential).toBe(true);
    expect(bare.cpu).toBeNull();
    expect(bare.rows.map(cols)).toEqual(withHeader.rows.map(cols));
    expect(bare.domain_totals).toEqual(withHeader.domain_totals);

    const xen = only(importBytesSync('x.txt', enc(noHeader(text(XEN_TWO_EVENTS)))).doc);
    expect(xen.differential).toBe(true);
    expect(xen.columns).toEqual(['column 1', 'column 2']);
    expect(cols(xen.rows[8] as ProfileRow)).toEqual(['vmlinux-2.6.18-xen0', 'gnttab_copy_grant_page', [120000, 5000], [null, null], ['---', '---']]);
    expect(xen.domain_totals.find((t) => t.domain === 'driver')?.samples).toEqual([1856789, 85876]);
  });

  it('--no-header output whose first row is a "---" row', () => {
    // Two rows without a signed diff are too little for detection to go on; the parser is asked directly.
    const p = only(importBytesAs({ tool: 'oprofile', via: 'lines' }, 'a.txt', enc('5000     ---      ---       old_helper\n300       0.3984        0   spin_unlock\n')).doc);
    expect(p.differential).toBe(true);
    expect(p.rows.map(cols)).toEqual([
      [null, 'old_helper', [5000], [null], ['---']],
      [null, 'spin_unlock', [300], [0.3984], [0]],
    ]);
  });

  it('-a: the "cum. samples" and "cum. %" columns are read past, rows as without -a', async () => {
    const plain = only((await importFile(ONE_IMAGE)).doc);
    const acc = only((await importFile(ACCUMULATED)).doc);
    expect(acc.differential).toBe(true);
    expect(acc.columns).toEqual(['CPU_CLK_UNHALTED']);
    expect(acc.rows.map(cols)).toEqual(plain.rows.map(cols));
    expect(acc.domain_totals).toEqual(plain.domain_totals);
  });

  it('-g: the "linenr info" column is read past so image and symbol line up', () => {
    const s = `CPU: Core 2, speed 2400.08 MHz (estimated)
samples  %        diff %    linenr info                 image name               symbol name
40995    54.4386  +0.0249   loop.c:42                   a.out                    main_loop
5000     ---      ---       (no location information)   libc-2.12.so             memcpy
`;
    const p = only(importBytesSync('g.txt', enc(s)).doc);
    expect(p.rows.map(cols)).toEqual([
      ['a.out', 'main_loop', [40995], [54.4386], [0.0249]],
      ['libc-2.12.so', 'memcpy', [5000], [null], ['---']],
    ]);
  });

  it('-w: the vma column comes first', () => {
    const s = `vma      samples  %        diff %    image name               symbol name
c01daea0 40995    54.4386  +0.0249   vmlinux                  __copy_to_user_ll
08048410 5000     ---      ---       a.out                    old_helper
`;
    const p = only(importBytesSync('w.txt', enc(s)).doc);
    expect(p.rows.map((r) => [r.vma, r.image, r.symbol, r.samples, r.percent, r.diff_percent])).toEqual([
      ['c01daea0', 'vmlinux', '__copy_to_user_ll', [40995], [54.4386], [0.0249]],
      ['08048410', 'a.out', 'old_helper', [5000], [null], ['---']],
    ]);
  });

  it('rows past the retention cap still count in domain_totals', () => {
    const r = importBytesSync('a.txt', enc(text(XEN_TWO_EVENTS)), { maxRows: 3 });
    const p = only(r.doc);
    expect(p.rows).toHaveLength(3);
    expect(p.row_count).toBe(10);
    expect(p.domain_totals.find((t) => t.domain === 'driver')?.samples).toEqual([1856789, 85876]);
    expect(r.doc.warnings).toEqual(['line 8: more than 3 rows; later rows are counted in domain_totals but not kept']);
  });

  it('damaged rows and headers fail with FILE:LINE and what is wrong', () => {
    const head = 'samples  %        diff %    symbol name\n40995    54.4386  +0.0249   main_loop\n';
    const fail = (s: string): string => {
      try {
        importBytesSync('d.txt', enc(s));
      } catch (e) {
        expect(e).toBeInstanceOf(LogParseError);
        return (e as Error).message;
      }
      throw new Error('parsed');
    };
    expect(fail(head + '9000     11.9514  x1        hash_lookup\n')).toBe('d.txt:3: "diff %" is "x1", neither a number nor "+++"/"---": "9000     11.9514  x1        hash_lookup"');
    expect(fail(head + '9000     ++       +++       hash_lookup\n')).toBe('d.txt:3: "%" is "++", neither a number nor "---": "9000     ++       +++       hash_lookup"');
    expect(fail(head + '9000     11.9514\n')).toBe('d.txt:3: differential row is cut off after "%": "9000     11.9514"');
    expect(fail(head + '9000     11.9514  -0.2500\n')).toBe('d.txt:3: opreport row has numbers but no image or symbol name');
    expect(fail('samples  %        diff %    samples  %        symbol name\n')).toBe('d.txt:1: differential header has 2 "samples" and 1 "diff %" columns; opreport prints one of each per column group');
    const two = 'samples  %        diff %    samples  %        diff %    symbol name\n';
    expect(fail(two + '40995    54.4386  +0.0249   12 1.0\n')).toBe('d.txt:2: differential row is cut off after "%" of column group 2: "40995    54.4386  +0.0249   12 1.0"');
    const acc = 'CPU: Core 2, speed 2400.08 MHz (estimated)\nsamples  cum. samples  %        cum. %     diff %    symbol name\n';
    expect(fail(acc + '40995    40995         54.4386  x          +0.0249   main_loop\n')).toBe('d.txt:3: "cum. %" is "x", neither a number nor "---": "40995    40995         54.4386  x          +0.0249   main_loop"');
    expect(fail(two + '40995    54.4386  +0.0249   main_loop\n')).toBe('d.txt:2: "samples" of column group 2 is "main_loop", not a number: "40995    54.4386  +0.0249   main_loop"');
  });

  it('mutated fixtures parse or fail with FILE:LINE, never anything else', () => {
    const seeds = [text(ONE_IMAGE), text(XEN_TWO_EVENTS), noHeader(text(XEN_TWO_EVENTS)), text(ACCUMULATED)];
    const mutate = (s: string, seed: number): string => {
      const r = rng(seed);
      let out = s;
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
        const i = Math.floor(r() * out.length);
        const pick = r();
        if (pick < 0.3) out = out.slice(0, i);
        else if (pick < 0.6) out = out.slice(0, i) + (['+', '-', '---', '+++', ' ', '\n', '0', 'e', '.', 'x'][Math.floor(r() * 10)] ?? '') + out.slice(i + 1);
        else if (pick < 0.8) out = out.slice(0, i) + out.slice(i + Math.floor(r() * 40));
        else out = out.slice(0, i) + '\n' + out.slice(i);
      }
      return out;
    };
    let parsed = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.integer(), (k, seed) => {
        const o = runOne('oprofile', mutate(seeds[k] ?? '', seed));
        if (o.parsed) parsed++;
        if (!o.ok) throw new Error(o.problem ?? 'failed');
      }),
      { numRuns: 3000, seed: 7 },
    );
    expect(parsed).toBeGreaterThan(300);
  });
});

describe('measured tables and a differential profile', () => {
  const stream = `TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to recv (10.0.0.2) port 0 AF_INET
Recv   Send    Send
Socket Socket  Message  Elapsed
Size   Size    Size     Time     Throughput
bytes  bytes   bytes    secs.    10^6bits/sec

 87380  16384   1024    300.00    535.90
`;
  const ordinary = `CPU: P4 / Xeon with 2 hyper-threads, speed 3000.12 MHz (estimated)
Counted GLOBAL_POWER_EVENTS events (time during which processor is not stopped) with a unit mask of 0x01 (mandatory) count 100000
samples  %        image name               symbol name
912004   60.0000  vmlinux-2.6.18-xen0      skb_copy_bits
608003   40.0000  domain1-kernel           __copy_to_user_ll
`;

  it('leaves it out of Table V with a warning that says why, instead of computing cycles/byte', async () => {
    const np = importBytesSync('np.txt', enc(stream)).doc;
    const diff = (await importFile(XEN_TWO_EVENTS)).doc;
    const t = measuredTables({ netperf: [np], oprofile: [diff] }, { system: 'Xen' });
    expect(t.tableV.runs).toEqual([]);
    expect(t.tableV.perDomain).toEqual({});
    expect(t.steps.some((s) => s.includes('cycles/B'))).toBe(false);
    expect(t.warnings).toEqual([
      'profile at line 1 is a differential opreport (two profiles compared, "diff %" columns): it is not the profile of one run, so Table V leaves it out; import the two profiles separately (opreport -l once per session) to measure cycles/byte',
    ]);
    // Table IV does not depend on profiles.
    expect(t.tableIV.throughputMbps?.mean).toBe(535.9);
  });

  it('pairs the run with the ordinary profile when a differential one is given too', async () => {
    const np = importBytesSync('np.txt', enc(stream)).doc;
    const diff = (await importFile(XEN_TWO_EVENTS)).doc;
    const op = importBytesSync('op.txt', enc(ordinary)).doc;
    const t = measuredTables({ netperf: [np], oprofile: [diff, op] });
    expect(t.tableV.runs).toHaveLength(1);
    // 912,004 driver samples × 100,000 events ÷ (535.9 Mbit/s × 10^6 ÷ 8 × 300 s).
    expect(t.tableV.runs[0]?.perDomain['driver']).toBeCloseTo((912004 * 100000) / ((535.9e6 / 8) * 300), 12);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/^profile at line 1 is a differential opreport/);
  });
});
