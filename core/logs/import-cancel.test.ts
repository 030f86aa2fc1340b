import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportAbortedError } from './errors.js';
import { netperfRun, rng } from './generate.js';
import { importBytesRecords, importFileRecords } from './import.js';

const dir = mkdtempSync(join(tmpdir(), 'rxlab-cancel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Open descriptors of this process (a worker's own go a moment after it exits). */
async function settledFds(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && readdirSync('/proc/self/fd').length > baseline; i++) await new Promise((res) => setTimeout(res, 20));
  return readdirSync('/proc/self/fd').length;
}

/** Temporary record files this process still holds open (unlinked: only /proc shows them). */
function openRecordFiles(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).includes('rxlab-records-')) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

describe('a big netperf import cancelled near its end', () => {
  // ≈ 40 MiB: past ≈ 27 MiB of log the parser's runs are in a temporary file (record-spill.ts).
  const path = join(dir, 'big.netperf.txt');
  const r = rng(9);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 40 << 20; i++) {
    const s = netperfRun(r, i);
    parts.push(s);
    size += s.length;
  }
  writeFileSync(path, parts.join(''));

  const cancelAt = (ctl: AbortController) => (done: number, total: number): void => {
    if (done >= total * 0.9) ctl.abort();
  };

  for (const split of ['0', '1']) {
    it(`rxlab import (RXLAB_IMPORT_SPLIT=${split}) frees the runs it had stored: no descriptor, no temporary file is left`, async () => {
      const before = process.env['RXLAB_IMPORT_SPLIT'];
      process.env['RXLAB_IMPORT_SPLIT'] = split;
      try {
        const fds = readdirSync('/proc/self/fd').length;
        const ctl = new AbortController();
        const files = openRecordFiles();
        await expect(importFileRecords(path, { signal: ctl.signal, onProgress: cancelAt(ctl) })).rejects.toThrow(ImportAbortedError);
        expect(openRecordFiles()).toBe(files);
        // …and the hash and split workers have stopped (their own descriptors are gone).
        expect(await settledFds(fds)).toBe(fds);
      } finally {
        if (before === undefined) delete process.env['RXLAB_IMPORT_SPLIT'];
        else process.env['RXLAB_IMPORT_SPLIT'] = before;
      }
    }, 60_000);
  }

  it('an upload (importBytesRecords) cancelled near its end leaves no descriptor either', () => {
    const bytes = readFileSync(path);
    const fds = readdirSync('/proc/self/fd').length;
    const files = openRecordFiles();
    const ctl = new AbortController();
    expect(() => importBytesRecords('big.netperf.txt', bytes, { signal: ctl.signal, onProgress: cancelAt(ctl) })).toThrow(ImportAbortedError);
    expect(openRecordFiles()).toBe(files);
    expect(readdirSync('/proc/self/fd').length).toBe(fds);
  }, 60_000);
});
