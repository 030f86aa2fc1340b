import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../import.js';
import type { ImportDoc, Profile } from '../types.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const only = (d: ImportDoc): Profile => {
  expect(d.profiles).toHaveLength(1);
  return d.profiles[0] as Profile;
};
const names = (p: Profile): unknown[] => p.rows.map((r) => [r.samples[0], r.image, r.app, r.symbol]);

// opreport -l with image, app and symbol columns (a Xen dom0 profile). opreport pads each name to
// its column (25 characters) and puts at least one space after it, so a name of 24 characters or
// more is followed by a single space: the 24-character vmlinux-syms-2.6.16-xen0 ends exactly at
// its column (the next name still starts under its title), a longer one pushes the rest right.
const HEAD = `CPU: P4 / Xeon with 2 hyper-threads, speed 2793.03 MHz (estimated)
Counted GLOBAL_POWER_EVENTS events (time during which processor is not stopped) with a unit mask of 0x01 (mandatory) count 100000
samples  %        image name               app name                 symbol name
`;
const ROWS = `1500     30.0000  vmlinux-2.6.18-8.1.15.el5xen vmlinux-2.6.18-8.1.15.el5xen skb_copy_bits
1200     24.0000  vmlinux-syms-2.6.16-xen0 vmlinux-syms-2.6.16-xen0 do_grant_table_op
900      18.0000  xen-syms-3.1.0-rhel5     xen-syms-3.1.0-rhel5     hypercall_page
700      14.0000  libstdc++.so.6.0.8       netperf-overflowing-app-name std::basic_string<char>::append(char const*, unsigned int)
500      10.0000  libc-2.5.so              netserver                memcpy
`;

describe('opreport -l: image, app and symbol names that fill or overflow their columns', () => {
  it('each of image, app and symbol gets its own name; a symbol keeps its spaces', () => {
    const d = importBytesSync('xen.txt', enc(HEAD + ROWS)).doc;
    const p = only(d);
    expect(names(p)).toEqual([
      [1500, 'vmlinux-2.6.18-8.1.15.el5xen', 'vmlinux-2.6.18-8.1.15.el5xen', 'skb_copy_bits'],
      [1200, 'vmlinux-syms-2.6.16-xen0', 'vmlinux-syms-2.6.16-xen0', 'do_grant_table_op'],
      [900, 'xen-syms-3.1.0-rhel5', 'xen-syms-3.1.0-rhel5', 'hypercall_page'],
      [700, 'libstdc++.so.6.0.8', 'netperf-overflowing-app-name', 'std::basic_string<char>::append(char const*, unsigned int)'],
      [500, 'libc-2.5.so', 'netserver', 'memcpy'],
    ]);
    expect(d.warnings).toEqual([]);
    // By image, as before: xen-syms is the hypervisor, the rest (a Xen profile) domain 0.
    expect(p.domain_totals).toEqual([
      { domain: 'driver', samples: [3900] },
      { domain: 'hypervisor', samples: [900] },
    ]);
  });

  it('past the row cap the totals are the same', () => {
    const p = only(importBytesSync('xen.txt', enc(HEAD + ROWS), { maxRows: 1 }).doc);
    expect(p.rows).toHaveLength(1);
    expect(p.domain_totals).toEqual([
      { domain: 'driver', samples: [3900] },
      { domain: 'hypervisor', samples: [900] },
    ]);
  });

  it('with a vma column the names line up with the header the same way', () => {
    const text = `CPU: P4 / Xeon with 2 hyper-threads, speed 2793.03 MHz (estimated)
Counted GLOBAL_POWER_EVENTS events (time during which processor is not stopped) with a unit mask of 0x01 (mandatory) count 100000
vma      samples  %        image name               app name                 symbol name
c0215d40 1200     24.0000  vmlinux-syms-2.6.16-xen0 vmlinux-syms-2.6.16-xen0 do_grant_table_op
c0215e00 300      6.0000   vmlinux-syms-2.6.16-xen0 vmlinux-syms-2.6.16-xen0 void foo(int, char)
`;
    const p = only(importBytesSync('vma.txt', enc(text)).doc);
    expect(p.rows.map((r) => [r.vma, r.image, r.app, r.symbol])).toEqual([
      ['c0215d40', 'vmlinux-syms-2.6.16-xen0', 'vmlinux-syms-2.6.16-xen0', 'do_grant_table_op'],
      ['c0215e00', 'vmlinux-syms-2.6.16-xen0', 'vmlinux-syms-2.6.16-xen0', 'void foo(int, char)'],
    ]);
  });

  it('a single space after a name narrower than its column: read one word per column, with a warning', () => {
    // opreport would have padded "a.out" to its column: the space may be inside a name.
    const text = HEAD + '100      2.0000   a.out myapp main\n' + '90       1.8000   libc-2.5.so              netserver                memcpy\n';
    const d = importBytesSync('odd.txt', enc(text)).doc;
    expect(names(only(d))).toEqual([
      [100, 'a.out', 'myapp', 'main'],
      [90, 'libc-2.5.so', 'netserver', 'memcpy'],
    ]);
    expect(d.warnings).toEqual(['line 4: the names "a.out myapp main" do not line up with the header\'s columns and a single space follows "a.out", narrower than its column: read as image "a.out", app "myapp", symbol "main"']);
  });

  it('fewer words than columns: as before, with a warning', () => {
    const d = importBytesSync('few.txt', enc(HEAD + '100      2.0000   vmlinux-2.6.18-8.1.15.el5xen skb_copy_bits\n')).doc;
    expect(names(only(d))).toEqual([[100, 'vmlinux-2.6.18-8.1.15.el5xen', 'skb_copy_bits', '']]);
    expect(d.warnings).toEqual(['line 4: the names "vmlinux-2.6.18-8.1.15.el5xen skb_copy_bits" are fewer than the header\'s 3 name columns: read as image "vmlinux-2.6.18-8.1.15.el5xen", app "skb_copy_bits", symbol ""']);
  });
});
