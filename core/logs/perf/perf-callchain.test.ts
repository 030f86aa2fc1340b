import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../import.js';
import { LogParseError } from '../errors.js';
import type { Profile } from '../types.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const profile = (name: string, text: string): Profile => {
  const { doc } = importBytesSync(name, enc(text));
  expect(doc.tool).toBe('perf');
  expect(doc.profiles).toHaveLength(1);
  return doc.profiles[0] as Profile;
};
/** The sample rows as [percent, app, image, symbol, line]. */
const rows = (p: Profile): unknown[] => p.rows.map((r) => [r.percent, r.app, r.image, r.symbol, r.line]);
const fail = (name: string, text: string): string => {
  try {
    importBytesSync(name, enc(text));
  } catch (e) {
    if (e instanceof LogParseError) return e.message;
    throw e;
  }
  return 'no error';
};

// perf 6.1 `perf report --stdio` of `perf record -a -g`: the default graph (caller order with
// Children), each entry's chain under it with perf's fixed 12-column margin, the "---" line of a
// single root, "|--N%--" branches, the last branch " --N%--" without its bar, bare continuation
// symbols (some after "|          "), and a blank line closing each chain.
const CHILDREN = `# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 4K of event 'cpu-clock:ppp'
# Event count (approx.): 1000000000
#
# Children      Self  Command          Shared Object         Symbol
# ........  ........  ...............  ....................  ......................................
#
    45.00%     0.00%  swapper          [kernel.kallsyms]     [k] cpu_startup_entry
            |
            ---cpu_startup_entry
               do_idle
               |          
               |--30.00%--default_idle_call
               |          
                --15.00%--cpuidle_enter
                          cpuidle_enter_state

    30.00%    30.00%  swapper          [kernel.kallsyms]     [k] default_idle_call
            |
            ---secondary_startup_64_no_verify
               start_secondary
               cpu_startup_entry
               do_idle
               default_idle_call

    12.50%     0.00%  ld-linux-x86-64  ld-linux-x86-64.so.2  [.] _dl_start_user
            |
            ---_dl_start_user
               _dl_init
               |          
               |--11.94%--_dl_map_object
               |          _dl_map_object_from_fd
               |          
                --0.56%--0x7f61c2a4d0e0

     0.56%     0.56%  bash             libc.so.6             [.] __memmove_avx_unaligned_erms
            |
             --0.56%--0x7f61c2b3e4a0
                       __libc_start_call_main


#
# (Tip: For a higher level overview, try: perf report --sort comm,dso)
#
`;

// The same data with --no-children (callee order by default): Overhead only; an entry with several
// callers starts straight with "|--" branches at the margin.
const NO_CHILDREN = `# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 4K of event 'cpu-clock:ppp'
# Event count (approx.): 1000000000
#
# Overhead  Command          Shared Object        Symbol
# ........  ...............  ...................  ......................................
#
    30.00%  swapper          [kernel.kallsyms]    [k] default_idle_call
            |
            ---default_idle_call
               do_idle
               cpu_startup_entry
               |          
               |--20.00%--start_secondary
               |          secondary_startup_64_no_verify
               |          
                --10.00%--rest_init
                          arch_call_rest_init
                          start_kernel

    15.00%  swapper          [kernel.kallsyms]    [k] cpuidle_enter_state
            |          
            |--9.00%--cpuidle_enter
            |          do_idle
            |          
             --6.00%--poll_idle
                       cpuidle_enter

     0.56%  bash             libc.so.6            [.] __memmove_avx_unaligned_erms
            |
            ---__memmove_avx_unaligned_erms
               0x7f61c2b3e4a0


#
# (Tip: Show individual samples with: perf script)
#
`;

// -g caller with --no-children: each chain from the outermost caller down to the entry.
const CALLER = `# Samples: 4K of event 'cpu-clock:ppp'
# Event count (approx.): 1000000000
#
# Overhead  Command          Shared Object        Symbol
# ........  ...............  ...................  ......................................
#
    30.00%  swapper          [kernel.kallsyms]    [k] default_idle_call
            |          
            |--20.00%--secondary_startup_64_no_verify
            |          start_secondary
            |          cpu_startup_entry
            |          do_idle
            |          default_idle_call
            |          
             --10.00%--start_kernel
                       arch_call_rest_init
                       rest_init
                       cpu_startup_entry
                       do_idle
                       default_idle_call

     7.25%  sshd             libcrypto.so.3       [.] sha256_block_data_order_avx2
            |
            ---_start
               __libc_start_main_impl
               main
               sha256_block_data_order_avx2

`;

// -g callee with Children: the entries' callees read downwards from the entry.
const CALLEE = `# Samples: 4K of event 'cpu-clock:ppp'
# Event count (approx.): 1000000000
#
# Children      Self  Command          Shared Object        Symbol
# ........  ........  ...............  ...................  ......................................
#
    45.00%     0.00%  swapper          [kernel.kallsyms]    [k] cpu_startup_entry
            |
            ---cpu_startup_entry
               |          
               |--44.44%--start_secondary
               |          secondary_startup_64_no_verify
               |          
                --0.56%--rest_init
                          start_kernel

     7.25%     7.25%  sshd             libcrypto.so.3       [.] sha256_block_data_order_avx2
            |
            ---sha256_block_data_order_avx2
               main

`;

// --sort dso,sym -n --header: the "# key : value" header, a Samples column, no Command column.
const DSO_SYM_SAMPLES = `# ========
# captured on    : Tue Mar 12 10:04:51 2024
# header version : 1
# hostname : lab-host
# os release : 6.1.0-18-amd64
# perf version : 6.1.76
# arch : x86_64
# nrcpus online : 8
# cpudesc : Intel(R) Xeon(R) CPU E5-2640 v4 @ 2.40GHz
# cmdline : /usr/bin/perf record -a -g -- sleep 5
# event : name = cpu-clock:ppp, , id = { 12, 13 }, type = 1 (PERF_TYPE_SOFTWARE), size = 136, { sample_period, sample_freq } = 4000, sample_type = IP|TID|TIME|CALLCHAIN|CPU|PERIOD, read_format = ID|LOST, disabled = 1, inherit = 1, freq = 1, sample_id_all = 1, exclude_guest = 1
# ========
#
#
# Total Lost Samples: 0
#
# Samples: 4K of event 'cpu-clock:ppp'
# Event count (approx.): 1000000000
#
# Children      Self       Samples  Shared Object        Symbol
# ........  ........  ............  ...................  ......................................
#
    45.00%     0.00%             0  [kernel.kallsyms]    [k] cpu_startup_entry
            |
            ---cpu_startup_entry
               do_idle
               |          
               |--30.00%--default_idle_call
               |          
                --15.00%--cpuidle_enter

    30.00%    30.00%          1200  [kernel.kallsyms]    [k] default_idle_call
            |
            ---secondary_startup_64_no_verify
               start_secondary
               default_idle_call

`;

describe('perf report --stdio with -g callchains', () => {
  it('default (Children, caller graph): every chain line skipped, the sample rows read', () => {
    const p = profile('default.txt', CHILDREN);
    expect(p.columns).toEqual(['Children', 'Self']);
    expect(rows(p)).toEqual([
      [[45, 0], 'swapper', '[kernel.kallsyms]', 'cpu_startup_entry', 12],
      [[30, 30], 'swapper', '[kernel.kallsyms]', 'default_idle_call', 22],
      [[12.5, 0], 'ld-linux-x86-64', 'ld-linux-x86-64.so.2', '_dl_start_user', 30],
      [[0.56, 0.56], 'bash', 'libc.so.6', '__memmove_avx_unaligned_erms', 40],
    ]);
    expect(p.row_count).toBe(4);
    // Σ Self, as for a report without chains.
    expect(p.domain_totals[0]?.samples[0]).toBeCloseTo(30.56, 9);
  });

  it('--no-children (callee graph, several roots at the margin)', () => {
    const p = profile('no-children.txt', NO_CHILDREN);
    expect(p.columns).toEqual(['Overhead']);
    expect(rows(p)).toEqual([
      [[30], 'swapper', '[kernel.kallsyms]', 'default_idle_call', 12],
      [[15], 'swapper', '[kernel.kallsyms]', 'cpuidle_enter_state', 25],
      [[0.56], 'bash', 'libc.so.6', '__memmove_avx_unaligned_erms', 33],
    ]);
    expect(p.domain_totals[0]?.samples[0]).toBeCloseTo(45.56, 9);
  });

  it('-g caller and -g callee', () => {
    expect(rows(profile('caller.txt', CALLER))).toEqual([
      [[30], 'swapper', '[kernel.kallsyms]', 'default_idle_call', 7],
      [[7.25], 'sshd', 'libcrypto.so.3', 'sha256_block_data_order_avx2', 22],
    ]);
    expect(rows(profile('callee.txt', CALLEE))).toEqual([
      [[45, 0], 'swapper', '[kernel.kallsyms]', 'cpu_startup_entry', 7],
      [[7.25, 7.25], 'sshd', 'libcrypto.so.3', 'sha256_block_data_order_avx2', 17],
    ]);
  });

  it('--sort dso,sym -n --header: Samples column, no Command column', () => {
    const p = profile('dso-sym.txt', DSO_SYM_SAMPLES);
    expect(p.cpu_mhz).toBe(2400);
    expect(p.rows.map((r) => [r.percent, r.samples, r.app, r.image, r.symbol, r.line])).toEqual([
      [[45, 0], [0], null, '[kernel.kallsyms]', 'cpu_startup_entry', 23],
      [[30, 30], [1200], null, '[kernel.kallsyms]', 'default_idle_call', 32],
    ]);
  });

  it('-g flat: the chain value lines and their symbols are skipped', () => {
    const text = `# Samples: 4K of event 'cpu-clock:ppp'
# Event count (approx.): 1000000000
#
# Overhead  Command          Shared Object        Symbol
# ........  ...............  ...................  ......................................
#
    30.00%  swapper          [kernel.kallsyms]    [k] default_idle_call
           20.00%
                default_idle_call
                do_idle
                start_secondary

           10.00%
                default_idle_call
                rest_init

     7.25%  sshd             libcrypto.so.3       [.] sha256_block_data_order_avx2
`;
    expect(rows(profile('flat.txt', text))).toEqual([
      [[30], 'swapper', '[kernel.kallsyms]', 'default_idle_call', 7],
      [[7.25], 'sshd', 'libcrypto.so.3', 'sha256_block_data_order_avx2', 17],
    ]);
  });

  it('a malformed sample row among callchains still fails with its line', () => {
    // No "%" on the Children value (line 22): a sample row by its place, so not skipped as chain text.
    const noPercent = CHILDREN.replace('    30.00%    30.00%  swapper', '    30.00     30.00%  swapper');
    expect(fail('bad.txt', noPercent)).toBe('bad.txt:22: perf row: Children column is "30.00", not a percentage');
    // A Self value that is not a number.
    const badSelf = CHILDREN.replace('    30.00%    30.00%  swapper', '    30.00%    3O.00%  swapper');
    expect(fail('bad.txt', badSelf)).toBe('bad.txt:22: perf row: Self "3O.00%" is not a number');
    // A row pushed right, out of its columns (it reads as a sample row, not as a chain line).
    const shifted = CHILDREN.replace('    30.00%    30.00%  swapper', '               30.00%    30.00%  swapper');
    expect(fail('bad.txt', shifted)).toBe('bad.txt:22: perf row starts at column 16, right of the Children column (columns 3-10): "30.00%    30.00%  swapper          [kernel.kallsyms]     [k]"');
    // Text where a sample row belongs (inside the first column), not chain text.
    const text = CHILDREN.replace('    30.00%    30.00%  swapper', '  swapper    30.00%  swapper');
    expect(fail('bad.txt', text)).toBe('bad.txt:22: perf row: Children column is "swapper", not a percentage');
  });

  it('without callchains, indented text that is no sample row still fails', () => {
    const text = `# Samples: 1M of event 'cycles'
# Event count (approx.): 1000000
#
# Overhead  Command       Shared Object        Symbol
# ........  ............  ...................  .........................................
#
    12.50%  app           libfoo.so            [.] a
               stray text
`;
    expect(fail('flat.txt', text)).toBe('flat.txt:8: perf row: Overhead column is "", not a percentage');
  });
});
