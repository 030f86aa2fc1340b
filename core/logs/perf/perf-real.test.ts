import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importFile } from '../import.js';
import { realLogsDir } from '../real-logs-dir.js';

const file = (n: string): string => join(realLogsDir(), 'perf', n);

describe('perf report --stdio real samples', () => {
  it('4.6 header, Children/Self, folded call chains skipped', async () => {
    const { doc } = await importFile(file('perf-4.6-report-stdio-header-children-self-folded-callchains-lkp.txt'));
    expect(doc.tool).toBe('perf');
    const p = doc.profiles[0];
    expect(p).toMatchObject({ cpu: 'Intel(R) Xeon(R) CPU E5-2697 v2 @ 2.70GHz', cpu_mhz: 2700, columns: ['Children', 'Self'] });
    expect(p?.events[0]).toMatchObject({ name: 'cycles:pp', samples_text: '8K', samples: 8000, total_count: 8895026685, count: 1000003 });
    expect(p?.rows[0]).toMatchObject({ percent: [82.61, 0.42], image: '[kernel.kallsyms]', symbol: 'cpu_startup_entry', line: 29 });
    expect(p?.rows.at(-1)).toMatchObject({ percent: [0.01, 0], image: 'perf', symbol: 'perf_stat_process_counter' });
  });
  it('5.1 with IPC columns and a second (empty) event section', async () => {
    const { doc } = await importFile(file('perf-5.1-report-stdio-header-children-self-ipc-folded-callchains-lkp.txt'));
    expect(doc.profiles).toHaveLength(2);
    const p = doc.profiles[0];
    expect(p?.events[0]).toMatchObject({ samples_text: '629K', samples: 629000, total_count: 629229887684 });
    expect(p?.rows[0]).toMatchObject({ percent: [96.02, 0.2], symbol: 'entry_SYSCALL_64_after_hwframe' });
    expect(doc.profiles[1]?.events[0]).toMatchObject({ name: 'dummy:HG', samples: 0 });
  });
  it('flat Overhead/Command/Shared Object/Symbol with JIT addresses, elided', async () => {
    const { doc } = await importFile(file('perf-report-stdio-flat-qemu-nbench-elided.txt'));
    const p = doc.profiles[0];
    expect(p?.events[0]).toMatchObject({ samples: 1000000, total_count: 1111661663176 });
    expect(p?.rows).toHaveLength(12);
    expect(p?.rows[0]).toMatchObject({ percent: [6.26], app: 'qemu-x86_64', image: 'qemu-x86_64', symbol: 'float64_mul' });
    expect(p?.rows[9]).toMatchObject({ image: 'perf-23090.map', symbol: '0x000055afd37d0b8a', vma: '0x000055afd37d0b8a' });
    expect(doc.warnings.some((w) => w.includes('elided'))).toBe(true);
  });
});
