import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importFile } from '../import.js';
import { realLogsDir } from '../real-logs-dir.js';
import type { DomainRule, ImportDoc, Profile } from '../types.js';

async function doc(name: string, domainRules?: DomainRule[]): Promise<ImportDoc> {
  const r = await importFile(join(realLogsDir(), 'oprofile', name), domainRules !== undefined ? { domainRules } : {});
  expect(r.doc.tool).toBe('oprofile');
  return r.doc;
}
async function prof(name: string, domainRules?: DomainRule[]): Promise<Profile> {
  const d = await doc(name, domainRules);
  expect(d.profiles).toHaveLength(1);
  return d.profiles[0] as Profile;
}
function total(p: Profile, domain: string): number[] | undefined {
  return p.domain_totals.find((t) => t.domain === domain)?.samples;
}

describe('opreport real samples', () => {
  it('0.7-era -l with app name column, PIII header', async () => {
    const p = await prof('opreport-0.7-era-lkml2004-piii-l-app-name-vmlinux-2.4.24-top37.txt');
    expect(p).toMatchObject({ cpu: 'PIII', cpu_mhz: 451.03, events: [{ name: 'CPU_CLK_UNHALTED', count: 100000, unit_mask: '0x00' }] });
    expect(p.rows).toHaveLength(37);
    expect(p.rows[1]).toMatchObject({ samples: [89695], percent: [5.9604], image: 'vmlinux-2.4.24', symbol: 'do_wp_page', line: 5 });
    expect(p.rows[0]?.symbol).toBe('(no symbols)');
  });
  it('0.8-era: no CPU line, Counted wrapped by the mailer', async () => {
    const p = await prof('opreport-0.8-era-lkml2005-p4-l-app-name-wrapped-counted-no-cpu-line.txt');
    expect(p.cpu).toBeNull();
    expect(p.events).toEqual([{ name: 'GLOBAL_POWER_EVENTS', count: 100000, unit_mask: '0x01', description: 'time during which processor is not stopped' }]);
    expect(p.rows).toHaveLength(10);
    expect(p.rows[9]).toMatchObject({ samples: [134145], image: 'sendmail', symbol: 'getc' });
  });
  it('call-graph snippet: callers, primary, [self], callees', async () => {
    const p = await prof('opreport-0.9-manual2006-callgraph-c-snippet.txt');
    expect(p.rows.map((r) => r.role)).toEqual(['caller', 'caller', 'primary', 'self', 'callee', 'callee']);
    expect(p.rows[3]).toMatchObject({ symbol: 'strfry', samples: [84590], percent: [66.4838] });
    expect(p.row_count).toBe(1);
  });
  it('hierarchical java with anon (tgid) image, variable decimals', async () => {
    const p = await prof('opreport-0.9-manual2006-hierarchical-java-anon-tgid.txt');
    expect(p.rows.map((r) => [r.depth, r.image, r.samples[0], r.percent[0]])).toEqual([
      [0, 'java', 27344, 100],
      [1, 'anon (tgid:12135 range:0xb2cb8000-0xb2e80000)', 27236, 99.605],
      [1, 'java', 108, 0.3949],
    ]);
    expect(p.rows[1]?.app).toBe('java');
  });
  it('image summary with long file names, elided', async () => {
    const d = await doc('opreport-0.9-manual2006-image-summary-long-filenames-piii.txt');
    const p = d.profiles[0] as Profile;
    expect(p.events[0]?.count).toBe(23150);
    expect(p.rows).toHaveLength(11);
    expect(p.rows[0]).toMatchObject({ samples: [905898], percent: [59.7415], image: '/usr/lib/gcc-lib/i386-redhat-linux/3.2/cc1plus', symbol: null });
    expect(d.warnings.some((w) => w.includes('elided'))).toBe(true);
  });
  it('-l with vma column (including a kernel address starting with a letter)', async () => {
    const p = await prof('opreport-0.9-manual2006-l-symbols-with-vma-column.txt');
    expect(p.rows).toHaveLength(9);
    expect(p.rows[2]).toMatchObject({ vma: 'c01daea0', samples: [6113], percent: [11.5144], image: 'vmlinux', symbol: '__copy_to_user_ll' });
  });
  it('full MIPS call graph: 471 primaries with [self]', async () => {
    const p = await prof('opreport-0.9.7-openwrt-mips24k-c-callgraph-full-raw.txt');
    expect(p).toMatchObject({ cpu: 'MIPS 24K', cpu_mhz: 676, row_count: 471 });
    expect(p.events[0]?.name).toBe('INSTRUCTIONS');
    expect(p.rows[0]).toMatchObject({ samples: [548], percent: [7.6977], image: 'vmlinux', symbol: '__do_softirq', role: 'primary' });
    expect(p.rows.filter((r) => r.role === 'self')).toHaveLength(471);
  });
  it('-X XML with details', async () => {
    const p = await prof('opreport-0.9.x-X-xml-details-core2-gdb.xml');
    expect(p).toMatchObject({ cpu: 'core_2', cpu_mhz: 1995, events: [{ name: 'CPU_CLK_UNHALTED', count: 100000, unit_mask: '0' }] });
    expect(p.rows).toHaveLength(66);
    expect(p.rows[0]).toMatchObject({ samples: [26], symbol: 'd_demangle', vma: '081b6710', image: '/home/rgrunber/runtime-EclipseApplication/archer/gdb/gdb' });
    expect(total(p, 'native')).toEqual([176]);
  });
  it('JIT listing: header names two columns, rows carry image, app and symbol', async () => {
    const p = await prof('opreport-0.9.x-manual-l-java-jit-image-and-app-name-columns.txt');
    expect(p.rows[1]).toMatchObject({ image: '7635.jo', app: 'java', symbol: 'void test.f1()', samples: [34333] });
    expect(p.rows[6]).toMatchObject({ symbol: 'void test.f2(int, int)' });
    expect(p.rows[9]?.symbol).toBe('void test$HelloThread.run()~');
  });
  it('ppc64 with tabs and wide anon names', async () => {
    const p = await prof('opreport-0.9.x-manual-ppc64-l-mono-anon-tabs.txt');
    expect(p.events[0]?.name).toBe('CYCLES');
    expect(p.rows.map((r) => [r.image, r.symbol, r.samples[0]])).toEqual([
      ['mono', '(no symbols)', 47],
      ['anon (tgid:3189 range:0xf72aa000-0xf72fa000)', '(no symbols)', 14],
      ['anon (tgid:3189 range:0xf6cca000-0xf6dd9000)', '(no symbols)', 9],
    ]);
  });
  it('operf hierarchical with elisions', async () => {
    const p = await prof('opreport-1.x-manual-operf-hierarchical-long-filenames-elided.txt');
    expect(p.row_count).toBe(3);
    expect(p.rows.filter((r) => r.depth === 1).map((r) => r.image)).toContain('/ext4');
    expect(p.rows[11]).toMatchObject({ image: '/usr/lib64/libstdc++.so.6.0.13', samples: [455], percent: [3.938], app: '/home/user1/oprof-install/bin/operf' });
  });
  it('operf -l with C++ symbols containing spaces', async () => {
    const p = await prof('opreport-1.x-manual-operf-l-p-kallsyms-modules.txt');
    expect(p.rows[1]).toMatchObject({ image: 'operf', symbol: 'OP_perf_utils::op_write_event(event_union*, unsigned long long)' });
    expect(p.rows[11]).toMatchObject({ image: 'ext4.ko', symbol: 'ext4_mark_iloc_dirty', samples: [34] });
  });
  it('Skylake: "speed 3e+06 MHz", lowercase event, Counted over 3 lines, 4-space nesting', async () => {
    const p = await prof('opreport-1.x-operf-skylake-default-hierarchical-using-samples-dir-sci-mhz-wrapped.txt');
    expect(p.cpu_mhz).toBe(3e6);
    expect(p.events).toEqual([{ name: 'cpu_clk_unhalted', count: 100000, unit_mask: '0x00' }]);
    expect(p.rows.map((r) => [r.depth, r.image, r.samples[0]])).toEqual([[0, 'a.out', 4], [1, 'no-vmlinux', 3], [1, 'ld-2.17.so', 1]]);
  });
  it('Xen dom0 (not a --xen session): no Xen images → native domain', async () => {
    const p = await prof('xenoprof-rhel5-xen3.1-dom0-opreport-t2-hierarchical-separate-lib-no-xen-images-booktypeset.txt');
    expect(p).toMatchObject({ cpu: 'Core 2', cpu_mhz: 2400.08, events: [{ name: 'CPU_CLK_UNHALTED', count: 750000, unit_mask: '0x01' }] });
    expect(p.rows.every((r) => r.domain === 'native')).toBe(true);
    // Totals come from the nested image rows: 332713+37858+241+8159+3178+27.
    expect(total(p, 'native')).toEqual([382176]);
  });
  it('xenoprof -t: 3 thread column groups, xen-syms → hypervisor, rest → driver', async () => {
    const d = await doc('xenoprof-rhel5-xen3.1-opreport-t1-symbols-3thread-columns-xen-syms-booktypeset.txt');
    const p = d.profiles[0] as Profile;
    expect(d.warnings[0]).toMatch(/ahci could not be found/);
    expect(p.columns).toEqual(['tid 0', 'tid 463', 'tid 14185']);
    expect(p.events).toEqual([{ name: 'BUS_IO_WAIT', count: 500, unit_mask: '0xc0', description: 'IO requests waiting in the bus queue' }]);
    expect(p.rows[0]).toMatchObject({ samples: [32, 15, 0], percent: [91.4286, 93.75, 0], image: 'xen-syms-2.6.18-53.1.14.el5.debug', symbol: 'pit_read_counter', domain: 'hypervisor' });
    expect(p.rows[2]).toMatchObject({ image: 'vmlinux', symbol: 'bio_put', domain: 'driver' });
    expect(total(p, 'hypervisor')).toEqual([32, 15, 0]);
    expect(total(p, 'driver')).toEqual([3, 0, 0]);
  });
  it('xenoprof passive domains: domainN-* → guest N, two event columns', async () => {
    const p = await prof('xenoprof-xen4.1-passive-domains-2event-image-summary-domain-lines-excerpt.txt');
    expect(p.rows).toHaveLength(12);
    expect(p.rows[10]).toMatchObject({ samples: [0, 47], percent: [0, 0.0398], image: 'domain1-xen-unknown', domain: 'guest1' });
    expect(total(p, 'guest2')).toEqual([538 + 403 + 13 + 0, 11947 + 8732 + 2697 + 60]);
    expect(total(p, 'guest13')).toEqual([351 + 260, 12733 + 16169]);
  });
  it('domain rule is overridable per import', async () => {
    const p = await prof('xenoprof-xen4.1-passive-domains-2event-image-summary-domain-lines-excerpt.txt', [{ pattern: '^domain\\d+-xen', domain: 'hypervisor' }]);
    expect(p.rows.find((r) => r.image === 'domain3-xen')?.domain).toBe('hypervisor');
    expect(total(p, 'hypervisor')).toEqual([25 + 13 + 9 + 2 + 0 + 0, 3862 + 2697 + 2630 + 65 + 47 + 60]);
  });
});
