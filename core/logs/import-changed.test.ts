import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CliIO } from '../cli-types.js';
import { openStore } from '../store/db.js';
import { realLogsDir } from './real-logs-dir.js';

/**
 * A log still being written (a benchmark appending to it) may differ between the parse and the read of
 * the bytes to store. The second read is made to see one more line here, as a race would.
 */
const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-changed-'));
const GROWING = join(dir, 'growing.txt');
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    readFile: async (...args: Parameters<typeof fs.readFile>): Promise<unknown> => {
      const bytes = await fs.readFile(...args);
      return String(args[0]) === GROWING && Buffer.isBuffer(bytes) ? Buffer.concat([bytes, Buffer.from('one more line\n')]) : bytes;
    },
  };
});
const { importCommand } = await import('./commands.js');

function io(dbPath: string): CliIO & { errText: () => string } {
  const errs: string[] = [];
  return { out: () => undefined, err: (t) => void errs.push(t), errText: () => errs.join(''), dbPath, signal: new AbortController().signal };
}

describe('rxlab import of a file that changes while it is imported', () => {
  it('saves nothing and says so, rather than storing bytes that are not the ones parsed', async () => {
    const { readFileSync } = await import('node:fs');
    writeFileSync(GROWING, readFileSync(join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt')));
    const db = join(dir, 'x.db');
    const x = io(db);
    expect(await importCommand.run([GROWING], x)).toBe(1);
    expect(x.errText()).toContain(`${GROWING}: changed while it was being imported (337 bytes parsed, 351 now); nothing was saved: import it again once it is complete\n`);
    const s = openStore(db);
    try {
      expect(s.prepare('SELECT count(*) FROM imported_file').pluck().get()).toBe(0);
    } finally {
      s.close();
    }
  });
});
