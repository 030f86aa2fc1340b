import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LogParseError } from '../errors.js';
import { importBytesSync } from '../import.js';
import type { DomainRule, ImportDoc, Profile, ProfileRow } from '../types.js';
import { readBytesLines } from '../line-reader.js';
import { OpreportParser } from './parse-opreport.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const only = (d: ImportDoc): Profile => {
  expect(d.profiles).toHaveLength(1);
  return d.profiles[0] as Profile;
};
const bySymbol = (p: Profile): Record<string, number[]> => Object.fromEntries(p.rows.map((r: ProfileRow) => [r.symbol ?? '', r.samples]));

/** What fails to parse, as `FILE:LINE: detail`. */
function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof LogParseError) return e.message;
    throw e;
  }
  throw new Error('no LogParseError');
}

// ---------------------------------------------------------------------------------------------
// opreport -X with several events: a <count>'s column is its class, not its position.

const XML_HEAD = `<?xml version="1.0" ?>
<profile schemaversion="3.0" cputype="x86-64/core2" processor="core2" mhz="2400.00" title="opreport -X -l event:CPU_CLK_UNHALTED,LLC_MISSES">
<setup>
<eventsetup id="0" eventname="CPU_CLK_UNHALTED" unitmask="0" setupcount="100000"/>
<eventsetup id="1" eventname="LLC_MISSES" unitmask="65" setupcount="6000"/>
</setup>
`;
const XML_TABLE = `<symboltable>
<symboldata id="0" name="schedule" startingaddr="ffffffff80001000"/>
<symboldata id="1" name="memcpy" startingaddr="ffffffff80002000"/>
<symboldata id="2" name="both" startingaddr="ffffffff80003000"/>
</symboltable>
</profile>
`;

describe('opreport -X: counts go to the column of their class', () => {
  it('a symbol with only event-1 samples (opreport omits zero counts) has them in column 1', () => {
    // As in /tmp/review-import/in/xml-2events.xml, plus a symbol with both and an image without symbols.
    const xml =
      XML_HEAD +
      `<classes>
<class name="c0" event="0"/>
<class name="c1" event="1"/>
</classes>
<binary name="/boot/vmlinux">
<count class="c0">1000</count>
<count class="c1">50</count>
<symbol idref="0"><count class="c0">1000</count></symbol>
<symbol idref="1"><count class="c1">50</count></symbol>
<symbol idref="2"><count class="c1">7</count><count class="c0">3</count></symbol>
</binary>
<binary name="/lib/libc.so">
<count class="c1">9</count>
</binary>
` +
      XML_TABLE;
    const d = importBytesSync('two-events.xml', enc(xml)).doc;
    const p = only(d);
    expect(p.columns).toEqual(['CPU_CLK_UNHALTED', 'LLC_MISSES']);
    expect(bySymbol(p)).toEqual({ schedule: [1000, 0], memcpy: [0, 50], both: [3, 7], '': [0, 9] });
    expect(p.rows.find((r) => r.symbol === 'memcpy')?.percent).toEqual([0, (100 * 50) / 66]);
    expect(p.domain_totals).toEqual([{ domain: 'native', samples: [1003, 66] }]);
  });

  it('classes of one event (--separate=cpu: no event attribute) add up in its column', () => {
    const xml = XML_HEAD.replace(/<eventsetup id="1"[^\n]*\n/, '') +
      `<classes>
<class name="c0" cpu="0"/>
<class name="c1" cpu="1"/>
</classes>
<binary name="/boot/vmlinux">
<symbol idref="0"><count class="c1">5</count></symbol>
<symbol idref="1"><count class="c0">2</count><count class="c1">4</count></symbol>
</binary>
` + XML_TABLE;
    const p = only(importBytesSync('cpus.xml', enc(xml)).doc);
    expect(p.columns).toEqual(['CPU_CLK_UNHALTED']);
    expect(bySymbol(p)).toEqual({ schedule: [5], memcpy: [6] });
  });

  it('a count whose class is not declared, or a class of an undeclared event, is an error at its line', () => {
    const body = (count: string, cls = '<class name="c0" event="0"/>\n<class name="c1" event="1"/>'): string =>
      XML_HEAD + `<classes>\n${cls}\n</classes>\n<binary name="/boot/vmlinux">\n<symbol idref="0">${count}</symbol>\n</binary>\n` + XML_TABLE;
    // Lines: 1-6 head, 7 <classes>, 8-9 classes, 10 </classes>, 11 <binary>, 12 the symbol.
    expect(failure(() => importBytesSync('bad.xml', enc(body('<count class="c2">5</count>'))))).toBe('bad.xml:12: XML: <count class="c2">: class c2 is not declared in <classes>');
    expect(failure(() => importBytesSync('bad.xml', enc(body('<count>5</count>'))))).toMatch(/^bad\.xml:12: XML: <count> has no class/);
    expect(failure(() => importBytesSync('bad.xml', enc(body('<count class="c0">5</count>', '<class name="c0" event="0"/>\n<class name="c1" event="4"/>'))))).toMatch(/^bad\.xml:9: XML: <class name="c1"> refers to event 4/);
    // Without <classes> (one event) a named class is not declared either.
    const single = XML_HEAD + `<binary name="/boot/vmlinux">\n<symbol idref="0"><count class="c3">5</count></symbol>\n</binary>\n` + XML_TABLE;
    expect(failure(() => importBytesSync('one.xml', enc(single)))).toMatch(/^one\.xml:8: XML: <count class="c3">/);
  });

  it('without <classes>, counts (class="" or none) are read in order as before', () => {
    const xml = XML_HEAD + `<binary name="/boot/vmlinux">\n<symbol idref="0"><count class="">5</count><count>6</count></symbol>\n</binary>\n` + XML_TABLE;
    expect(bySymbol(only(importBytesSync('plain.xml', enc(xml)).doc))).toEqual({ schedule: [5, 6] });
  });
});

// ---------------------------------------------------------------------------------------------
// Past the row cap: the fast paths must take the image the slow path takes, and warn.

const OP_HEAD = 'CPU: Core 2, speed 2400.08 MHz (estimated)\nCounted CPU_CLK_UNHALTED events (Clock cycles when not halted) with a unit mask of 0x00 (Unhalted core cycles) count 100000\n';
const XENU = '/boot/vmlinux-2.6.18-53.1.14.el5xenU';

/** /tmp/review-import/in/op-cap.txt: a xenU image wider than its column, then xen-syms, then xenU. */
function opCap(first: number, hyper: number, later: number): string {
  const out = [OP_HEAD + 'samples  %        image name               app name                 symbol name'];
  for (let i = 0; i < first; i++) out.push(`10       0.0010   ${XENU} /usr/sbin/sshd           sym${i}`);
  for (let i = 0; i < hyper; i++) out.push(`10       0.0010   xen-syms-3.1.0           xen-syms-3.1.0           h${i}`);
  for (let i = 0; i < later; i++) out.push(`10       0.0010   ${XENU} /usr/sbin/sshd           late${i}`);
  return out.join('\n') + '\n';
}

/** The string path alone (LineSink.line, no bytes fast path). */
function viaLines(name: string, text: string, maxRows?: number, rules?: DomainRule[]): ImportDoc {
  const p = new OpreportParser(name, rules, maxRows);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((l, i) => p.line(l, i + 1));
  return p.finish();
}

/**
 * The per-image totals domain_totals are made from (private to the parser, read here so a wrongly
 * cut name shows even where both cuts fall in one domain), and row_count; or the error.
 */
function imageTotals(text: string, maxRows: number, bytes: boolean): unknown {
  const p = new OpreportParser('f.txt', undefined, maxRows);
  try {
    if (bytes) readBytesLines('f.txt', enc(text), p);
    else text.split('\n').forEach((l, i) => p.line(l, i + 1));
  } catch (e) {
    if (e instanceof LogParseError) return e.message;
    throw e;
  }
  const b = (p as unknown as { b: { imageTotals: Map<string, number[]>; profile: Profile } | null }).b;
  return b === null ? null : { rows: b.profile.row_count, images: [...b.imageTotals].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)) };
}

const CAP_WARNING = (line: number, max: number): string => `line ${line}: more than ${max} rows; later rows are counted in domain_totals but not kept`;

describe('opreport past the row cap', () => {
  it('a wide image name followed by one space is cut as splitNames cuts it (byte fast path, default cap)', () => {
    const d = importBytesSync('op-cap.txt', enc(opCap(40_000, 10_000, 30_000))).doc;
    const p = only(d);
    expect(p.rows).toHaveLength(50_000);
    expect(p.row_count).toBe(80_000);
    expect(p.rows[0]).toMatchObject({ image: XENU, app: '/usr/sbin/sshd', symbol: 'sym0', domain: 'guest' });
    expect(p.domain_totals).toEqual([
      { domain: 'guest', samples: [700_000] },
      { domain: 'hypervisor', samples: [100_000] },
    ]);
    // Row 50,001 is on line 50,004 (three header lines).
    expect(d.warnings).toEqual([CAP_WARNING(50_004, 50_000)]);
  });

  it('the same through the string path (tallyImageOnly)', () => {
    const d = viaLines('op-cap.txt', opCap(4, 1, 3), 2);
    const p = only(d);
    expect(p.rows).toHaveLength(2);
    expect(p.row_count).toBe(8);
    expect(p.domain_totals).toEqual([
      { domain: 'guest', samples: [70] },
      { domain: 'hypervisor', samples: [10] },
    ]);
    expect(d.warnings).toEqual([CAP_WARNING(6, 2)]);
  });

  it('60,000 plain rows: 50,000 kept, all counted, and the cap warning is there', () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `10       0.0017   vmlinux                  sym${i}`);
    const text = OP_HEAD + 'samples  %        image name               symbol name\n' + rows.join('\n') + '\n';
    for (const d of [importBytesSync('op-60k.txt', enc(text)).doc, viaLines('op-60k.txt', text)]) {
      const p = only(d);
      expect(p.rows).toHaveLength(50_000);
      expect(p.row_count).toBe(60_000);
      expect(p.domain_totals).toEqual([{ domain: 'native', samples: [600_000] }]);
      expect(d.warnings).toEqual([CAP_WARNING(50_004, 50_000)]);
    }
  });

  it('each profile of a concatenated file warns at its own first dropped row', () => {
    const one = OP_HEAD + 'samples  %        image name               symbol name\n' + ['1  1.0  vmlinux  a', '2  2.0  vmlinux  b', '3  3.0  libc.so  c'].join('\n') + '\n';
    const d = importBytesSync('two.txt', enc(one + one), { maxRows: 2 });
    expect(d.doc.profiles.map((p) => [p.rows.length, p.row_count])).toEqual([
      [2, 3],
      [2, 3],
    ]);
    expect(d.doc.warnings).toEqual([CAP_WARNING(6, 2), CAP_WARNING(12, 2)]);
  });

  it('on any row layout, both fast paths add up per image what the slow path adds up', () => {
    const headers = [
      '',
      'samples  %        image name\n',
      'samples  %        app name\n',
      'samples  %        symbol name\n',
      'samples  %        image name               symbol name\n',
      'samples  %        app name                 symbol name\n',
      'samples  %        image name               app name                 symbol name\n',
      'samples  %        samples  %        image name               symbol name\n',
    ];
    const name = fc.constantFrom('img1', 'img2', 'img3 x', 'anon (tgid:7 range:0x1-0x2)', 'img5\u00a0', 'img6\u00a0\u00a0y', 'xen-syms-3.1.0', 'sym [self]', '[self]', 'op[]', 'f(int, char)', 'x\ry', 'é', 'a\vb');
    const sep = fc.constantFrom(' ', '  ', '   ', '\t', ' \t', '\t ', '\u00a0 ', ' \u00a0');
    const row = fc.record({
      indent: fc.constantFrom('', '', '', '  '),
      names: fc.array(fc.tuple(name, sep), { minLength: 1, maxLength: 3 }),
      tail: fc.constantFrom('', '', ' ', '  ', '\t', '\u00a0'),
      samples: fc.nat(1000),
    });
    fc.assert(
      fc.property(fc.constantFrom(...headers), fc.array(row, { minLength: 1, maxLength: 12 }), (header, rows) => {
        const pairs = header.startsWith('samples  %        samples') ? 2 : 1;
        const lines = rows.map((r) => {
          const nums = Array.from({ length: pairs }, (_, k) => `${r.samples + k}  1.5  `).join('');
          return r.indent + nums + r.names.map(([n, s], k) => (k === 0 ? n : s + n)).join('') + r.tail;
        });
        const text = OP_HEAD + header + lines.join('\n') + '\n';
        // maxRows 1e9: every row through row()'s full path; maxRows 0: every row is past the cap.
        const slow = imageTotals(text, 1e9, false);
        expect(imageTotals(text, 0, false)).toEqual(slow);
        expect(imageTotals(text, 0, true)).toEqual(slow);
      }),
      { numRuns: 5000, seed: 11 },
    );
  });
});
