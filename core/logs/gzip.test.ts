import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LogParseError } from './errors.js';
import { importBytes, importFileRecords, withRecords } from './import.js';
import { realLogsDir } from './real-logs-dir.js';

/** Archived logs come gzip-compressed (netperf.log.gz): each imports as the log inside it. */
describe('gzip-compressed logs', () => {
  const logs = ['netperf', 'oprofile', 'perf', 'iperf3'].flatMap((tool) => readdirSync(join(realLogsDir(), tool)).map((f) => join(realLogsDir(), tool, f)));

  it('every real netperf, opreport, perf and iperf3 log imports gzipped exactly as it does plain, from memory and from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-gz-'));
    try {
      for (const path of logs) {
        const plain = readFileSync(path);
        const gz = gzipSync(plain);
        const name = `${path.split('/').pop() ?? ''}.gz`;
        const want = (await importBytes(name, plain)).doc;
        const got = await importBytes(name, gz);
        expect(got.doc, name).toEqual({ ...want, format: `${want.format} (gzip)` });
        // provenance is the file as given
        expect(got.sha256).toBe(createHash('sha256').update(gz).digest('hex'));
        expect(got.sizeBytes).toBe(gz.length);
        const file = join(dir, name);
        writeFileSync(file, gz);
        const streamed = withRecords(await importFileRecords(file));
        expect(streamed.doc, `${name} (file)`).toEqual(got.doc);
        expect(streamed.sha256).toBe(got.sha256);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(logs.length).toBeGreaterThan(40);
  });

  it('a cut-off gzip file is refused with FILE:LINE, from memory and from a file', async () => {
    const path = logs.find((p) => p.endsWith('netperf-2.7-lkp-sctp_stream_many-c-C-multi-instance-timestamped-cmds.txt')) ?? '';
    const gz = gzipSync(readFileSync(path));
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    await expect(importBytes('cut.txt.gz', cut)).rejects.toThrow(/^cut\.txt\.gz:1: gzip data is damaged or cut off/);
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-gz-'));
    try {
      const file = join(dir, 'cut.txt.gz');
      writeFileSync(file, cut);
      const e = await importFileRecords(file).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(LogParseError);
      expect((e as LogParseError).message).toMatch(/cut\.txt\.gz:\d+: gzip data is damaged or cut off/);
      expect((e as LogParseError).line).toBeGreaterThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // A cut in the first bytes inflates to nothing a tool can be told from: it was refused as
  // "cannot tell which tool wrote this file", where a longer cut said the gzip data was damaged.
  it('a gzip file cut in its first bytes (magic only, 60 bytes) is refused as damaged, from memory and from a file', async () => {
    const path = logs.find((p) => p.endsWith('netperf-2.4.4-manual-tcp_rr-default.txt')) ?? '';
    const gz = gzipSync(readFileSync(path));
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-gz-'));
    try {
      for (const n of [2, 10, 30, 60]) {
        const cut = gz.subarray(0, n);
        await expect(importBytes('tiny.gz', cut), `${n} bytes`).rejects.toThrow(/^tiny\.gz:1: gzip data is damaged or cut off/);
        const file = join(dir, 'tiny.gz');
        writeFileSync(file, cut);
        await expect(importFileRecords(file), `${n} bytes, file`).rejects.toThrow(/tiny\.gz:1: gzip data is damaged or cut off/);
      }
      // the gzip of an empty file is whole, but holds no log
      await expect(importBytes('empty.gz', gzipSync(Buffer.alloc(0)))).rejects.toThrow(/^empty\.gz:1: empty file \(the gzip data decompresses to nothing\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('other archives are named, with the command that unpacks them', async () => {
    const xz = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4, 0xe6, 0xd6]);
    await expect(importBytes('run.log.xz', xz)).rejects.toThrow('run.log.xz:1: this is xz-compressed; unpack it first (xz -d FILE) and import the log inside');
    await expect(importBytes('logs.zip', Buffer.from('PK\u0003\u0004rest', 'latin1'))).rejects.toThrow(/^logs\.zip:1: this is a zip archive; unpack it first \(unzip FILE\)/);
  });

  it('a gzip of something else says it cannot tell the tool; flent files stay flent', async () => {
    await expect(importBytes('notes.gz', gzipSync(Buffer.from('just some notes\nnothing to see\n')))).rejects.toThrow(/^notes\.gz:1: cannot tell which tool wrote this file/);
    const flent = readdirSync(join(realLogsDir(), 'flent'))[0] ?? '';
    expect((await importBytes(flent, readFileSync(join(realLogsDir(), 'flent', flent)))).doc.tool).toBe('flent');
  });
});
