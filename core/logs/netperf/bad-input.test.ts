import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogParseError } from '../errors.js';
import { importBytesSync } from '../import.js';
import { readBytesLines } from '../line-reader.js';
import { measuredTables } from '../measured/tables.js';
import { realLogsDir } from '../real-logs-dir.js';
import type { ImportDoc } from '../types.js';
import { NetperfParser } from './parse-netperf.js';
import { cutsThatDiffer } from './split-check.js';
import { parseNetperfSplit } from './split-parse.js';

const doc = (s: string): ImportDoc => importBytesSync('np.txt', new TextEncoder().encode(s)).doc;
const real = (name: string): string => readFileSync(join(realLogsDir(), 'netperf', name), 'utf8');

const PING = `$ ping -c 3 h
PING h (10.0.0.2) 56(84) bytes of data.
64 bytes from h: icmp_seq=1 ttl=64 time=0.05 ms
64 bytes from h: icmp_seq=2 ttl=64 time=0.04 ms

--- h ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 2002ms
rtt min/avg/max/mdev = 0.040/0.045/0.050/0.005 ms
`;
const SCRIPT_LOG = `$ netperf -H h -t TCP_STREAM -P 0 -l 10
 87380  16384  16384    10.00    2997.84
${PING}`;

describe('shell output in a netperf log is skipped with a warning, never stored as runs', () => {
  it('ping output after a -P 0 row: one run, and the ping lines listed in one warning', () => {
    const d = doc(SCRIPT_LOG);
    expect(d.records.map((r) => [r.line, r.test, r.throughput])).toEqual([[2, 'TCP_STREAM', 2997.84]]);
    expect(d.warnings).toEqual([
      'lines 5-6, 9: not netperf output, skipped: they start with a number but are not shaped like a netperf result row (e.g. "64 bytes from h: icmp_seq=1 ttl=64 time=0.05 ms")',
    ]);
    expect(measuredTables({ netperf: [d], oprofile: [] }).tableIV.throughputMbps?.values).toEqual([2997.84]);
  });

  it('100 ping lines before a real TCP_RR log: the TCP_RR run alone, in a log not called "-P 0 rows"', () => {
    const pings = Array.from({ length: 100 }, (_, i) => `64 bytes from h: icmp_seq=${i + 1} ttl=64 time=0.05 ms\n`).join('');
    const d = doc(pings + real('netperf-2.4.4-manual-tcp_rr-default.txt'));
    expect(d.records.map((r) => [r.line, r.test, r.transactions_per_s])).toEqual([[101, 'TCP_RR', 29150.15]]);
    expect(d.format).toBe('netperf classic');
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toMatch(/^lines 1-100: not netperf output, skipped/);
  });

  it('other numbers that are no -P 0 or -v 0 row: counts, units, key=value, a tag after a row netperf never tags', () => {
    const lines = ['1500', '4096 /var/log', '0.05 ms', '12.5 MB/s', '2.50 size=64', '0.15 0.10 0.05 1/123 4567'];
    const d = doc(`$ netperf -H h -P 0 -v 0\n${lines.join('\n')}\n 941.12\n`);
    expect(d.records.map((r) => r.throughput)).toEqual([941.12]);
    expect(d.warnings).toEqual([expect.stringMatching(/^lines 2-7: not netperf output, skipped/)]);
  });

  it('netperf -B tags, -v 0 values and the -c method letter are still read', () => {
    const d = doc(' 8695.12 -b 0 -D\n87380  16384  16384    10.03     234.90   this is test 4\n 10.226 S\n');
    expect(d.records.map((r) => [r.throughput, r.tag])).toEqual([
      [8695.12, '-b 0 -D'],
      [234.9, 'this is test 4'],
      [10.226, 'S'],
    ]);
    expect(d.warnings).toEqual([]);
  });

  it('an echoed command of another program forgets the netperf command: later rows are not its runs', () => {
    const d = doc('$ netperf -H h -t TCP_STREAM -P 0 -v 0\n 941.12\nuser@box:~$ iperf-summary --last\n 12.50\n');
    expect(d.records.map((r) => [r.test, r.extra?.['command']])).toEqual([
      ['TCP_STREAM', 'netperf -H h -t TCP_STREAM -P 0 -v 0'],
      ['UNKNOWN', undefined],
    ]);
    // LKP's "wait" after the background runs prints nothing: the runs keep their command.
    const lkp = doc(real('netperf-2.7-lkp-migrated-udp_stream-c-C-SS-method-16-instances-timestamped-cmds.txt'));
    expect(lkp.records.every((r) => r.extra?.['command'] === 'netperf -4 -H 127.0.0.1 -t UDP_STREAM -c -C -l 300  &')).toBe(true);
  });

  it('a split parse gives the same document with the skipped lines and bad values, cut at any line', async () => {
    const text = [SCRIPT_LOG, STREAM_NAN, '$ netperf -t TCP_STREAM -P 0\n', SCRIPT_LOG, ' 87380  16384  16384    10.00    -5.00\n'].join('');
    expect(await cutsThatDiffer(text)).toEqual([]);
  });
});

const OPENWRT = 'netperf-2.5pre-svn-openwrt-migrated-tcp_stream-c-C-cpu-util-with-prompt.txt';
/** The OpenWrt log with remote CPU -1.00 and local service demand -nan (HewlettPackard/netperf#83). */
const STREAM_NAN = real(OPENWRT).replace('1.00     565.055', '-1.00    -nan   ');

describe('a value in a result row that is no usable number is left empty with a warning at its line', () => {
  it('-nan in a -c -C stream row: the CPU and service demand columns are kept, the -nan one empty', () => {
    const d = doc(STREAM_NAN);
    expect(d.records).toHaveLength(1);
    const r = d.records[0];
    expect(r).toMatchObject({ throughput: 4.21, cpu_local_pct: 29, cpu_remote_pct: -1, service_demand_remote: 19.39 });
    expect(r?.service_demand_local).toBeUndefined();
    expect(r?.tag).toBeUndefined();
    expect(r?.error).toBeUndefined();
    expect(d.warnings).toEqual(['line 8: result row: column 8 (local service demand) "-nan" is not a number (netperf prints it for a value it could not compute); left empty, the rest of the row is kept']);
  });

  it('-nan in a request/response service demand: the run keeps its rate (in Table VII for TCP_RR)', () => {
    const udpRr = real('netperf-2.4.4-manual-udp_rr-cpu-util-c-C.txt').replace('18.221', '-nan');
    for (const text of [udpRr, udpRr.replace('UDP REQUEST/RESPONSE', 'TCP REQUEST/RESPONSE')]) {
      const d = doc(text);
      const r = d.records[0];
      expect(r).toMatchObject({ transactions_per_s: 15262.48, cpu_local_pct: 13.9, service_demand_remote: 21.116 });
      expect(r?.service_demand_local).toBeUndefined();
      expect(r?.error).toBeUndefined();
      expect(d.warnings).toEqual([expect.stringMatching(/^line 7: result row: column 9 \(local service demand\) "-nan" is not a number/)]);
    }
    const tcp = doc(udpRr.replace('UDP REQUEST/RESPONSE', 'TCP REQUEST/RESPONSE'));
    expect(measuredTables({ netperf: [tcp], oprofile: [] }).tableVII.transactionsPerS?.values).toEqual([15262.48]);
  });

  it('a mistyped throughput is named at its own line as a bad number, not as a run cut off at the banner', () => {
    const lines = real('netperf-2.7-lkp-sctp_stream_many-c-C-multi-instance-timestamped-cmds.txt').split('\n');
    lines[303] = (lines[303] ?? '').replace('7965.31', '79x5.31');
    const d = doc(lines.join('\n'));
    expect(d.records).toHaveLength(64);
    const r = d.records.find((x) => x.line === 298);
    expect(r).toMatchObject({ cpu_local_pct: 32.07, service_demand_remote: 42.193 });
    expect(r?.throughput).toBeUndefined();
    expect(r?.error).toBeUndefined();
    expect(d.warnings).toEqual(['line 304: result row: column 5 (throughput) "79x5.31" is not a number; left empty, the rest of the row is kept']);
  });

  it('an overflowing or negative throughput is left empty with a warning (table, -P 0 and -v 0 rows, omni)', () => {
    const table = real('netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
    for (const [bad, why] of [['1e309', 'too large for a number'], ['-5.00', 'negative']] as const) {
      const d = doc(table.replace('2997.84', bad));
      expect(d.records[0]?.throughput).toBeUndefined();
      expect(d.records[0]?.throughput_text).toBeUndefined();
      expect(d.warnings).toEqual([`line 7: result row: column 5 (throughput) "${bad}" is ${why}; left empty, the rest of the row is kept`]);
    }
    const p0 = doc('$ netperf -t TCP_STREAM -P 0\n 87380  16384  16384    10.00    -5.00\n -7.50\n');
    expect(p0.records.map((r) => r.throughput)).toEqual([undefined, undefined]);
    expect(p0.warnings).toEqual([
      'line 2: result row: column 5 (throughput) "-5.00" is negative; left empty, the rest of the row is kept',
      'line 3: result row: column 1 (result (-v 0)) "-7.50" is negative; left empty',
    ]);
    const omni = doc('OMNI Send TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to h () port 0 AF_INET\nTHROUGHPUT=-12.5\nTHROUGHPUT_UNITS=10^6bits/s\n');
    expect(omni.records[0]?.throughput).toBeUndefined();
    expect(omni.warnings).toEqual(['line 2: THROUGHPUT "-12.5" is negative; left empty']);
    // The tables name the runs they leave out for it.
    expect(measuredTables({ netperf: [{ ...p0, fileName: 'p0.txt' }], oprofile: [] }).warnings).toContain(
      "netperf p0.txt: 2 TCP_STREAM run(s) without a throughput (lines 2, 3): left out of Table IV; the import's warnings say why",
    );
  });

  it("-nan in UDP_STREAM's received throughput: the run has none, and the sender's rate stays beside it, not in its place", () => {
    const table = real('netperf-2.4.4-manual-udp_stream-two-line.txt').replace('2748.50', '-nan');
    const p0 = '$ netperf -t UDP_STREAM -P 0\n124928   65000   10.00       53595      0    2786.99\n65536           10.00           0              -nan\n';
    for (const [text, sent, line] of [[table, 2770.2, 7], [p0, 2786.99, 3]] as const) {
      const d = doc(text);
      expect(d.records).toHaveLength(1);
      expect(d.records[0]?.throughput).toBeUndefined();
      expect(d.records[0]?.remote_throughput).toBeUndefined();
      expect(d.records[0]?.extra?.['sent_throughput']).toBe(sent);
      expect(d.warnings).toEqual([`line ${line}: result row: column 4 (throughput) "-nan" is not a number (netperf prints it for a value it could not compute); left empty, the rest of the row is kept`]);
    }
  });

  it('past 20 such rows, the rest are listed by line in one warning', () => {
    const rows = Array.from({ length: 25 }, () => '87380  16384  16384    10.03   235.47   3.67     -nan     10.226  14.180\n').join('');
    const d = doc(rows);
    expect(d.records).toHaveLength(25);
    expect(d.records.every((r) => r.throughput === 235.47 && r.cpu_remote_pct === undefined && r.service_demand_local === 10.226)).toBe(true);
    expect(d.warnings).toHaveLength(21);
    expect(d.warnings[20]).toBe('lines 21-25: 5 more result rows with a value that is not a number (or a negative throughput); those values were left empty, the rest of each row is kept');
  });
});

describe('throughput units netperf does not print', () => {
  it('are kept as printed with a warning at the units line, and the tables leave the run out saying why', () => {
    const d = doc(real('netperf-2.4.4-manual-tcp_stream-default-localhost.txt').replace('10^6bits/sec', 'furlongs/sec'));
    expect(d.records[0]).toMatchObject({ throughput: 2997.84, throughput_units: 'furlongs/sec' });
    expect(d.warnings).toEqual([
      'line 5: the table header gives the throughput in "furlongs/sec", which are no units netperf prints (10^N bits/s, k/m/g bits/s, K/M/G Bytes/s, Trans/s): kept as printed, and the measured tables leave runs in them out',
    ]);
    const t = measuredTables({ netperf: [d], oprofile: [] });
    expect(t.tableIV.throughputMbps).toBeNull();
    expect(t.warnings).toEqual(['TCP_STREAM run 1 (line 1): unknown throughput units "furlongs/sec": left out of Table IV']);
    expect(t.steps.join('\n')).not.toMatch(/no units printed/);
  });
});

describe('a log with more runs than one import keeps', () => {
  const rows = (n: number): string => Array.from({ length: n }, (_, i) => ` 87380  16384  16384    10.00    ${100 + i}.00\n`).join('');

  it('is refused at the line of the first run past the limit, saying how to split it', () => {
    const p = new NetperfParser({ file: 'big.txt', maxRecords: 3 });
    let err: unknown;
    try {
      readBytesLines('big.txt', Buffer.from(rows(5)), p);
    } catch (e) {
      err = e;
    } finally {
      p.dispose();
    }
    expect(err).toBeInstanceOf(LogParseError);
    expect((err as LogParseError).line).toBe(4);
    expect((err as LogParseError).message).toBe(
      'big.txt:4: more than 3 netperf runs: the run starting here would be run 4, and one import keeps at most 3; nothing was saved. Split the log between runs into parts of at most 3 runs and import each part (a log of one -P 0 row per run: split -l 3 FILE part-)',
    );
    expect(new NetperfParser().runLimit).toBe(1_000_000);
  });

  it('is refused by a split parse too, wherever the halves are cut', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-limit-'));
    try {
      const path = join(dir, 'big.txt');
      const text = rows(8);
      writeFileSync(path, text);
      for (let at = 0; at < text.length; at = text.indexOf('\n', at) + 1) {
        const p = new NetperfParser({ file: path, maxRecords: 3 });
        const got = await parseNetperfSplit(path, statSync(path), p, { at, inThread: true }).catch((e: unknown) => e);
        p.dispose();
        // null: the file cannot be cut there (nothing parsed; the caller parses it whole).
        if (got === null) continue;
        expect(got).toBeInstanceOf(LogParseError);
        expect((got as LogParseError).message).toMatch(`${path}:4: more than 3 netperf runs`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
