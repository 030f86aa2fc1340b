import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToTarget } from '../../sweep/calibrate.js';
import type { TargetTables } from '../../sim/compare-tables.js';
import { importBytesSync } from '../import.js';
import { recordPeriod } from '../perf/parse-perf-report.js';
import type { LogRecord } from '../types.js';
import { realLogsDir } from '../real-logs-dir.js';
import { inputsByTool, isCycleEvent, measuredTables, type NamedDoc } from './tables.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const stream = (tput: string, secs: string): string => `TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to recv (10.0.0.2) port 0 AF_INET
Recv   Send    Send                          
Socket Socket  Message  Elapsed              
Size   Size    Size     Time     Throughput  
bytes  bytes   bytes    secs.    10^6bits/sec  

 87380  16384   1024    ${secs}    ${tput}   
`;

const opreport = (driver: number, guest: number, xen: number): string => `CPU: P4 / Xeon with 2 hyper-threads, speed 3000 MHz (estimated)
Counted GLOBAL_POWER_EVENTS events (time during which processor is not stopped) with a unit mask of 0x01 (mandatory) count 100000
samples  %        image name               symbol name
${driver}   50.0000  vmlinux-2.6.18-xen0      skb_copy_bits
${guest}    30.0000  domain1-kernel           __copy_to_user_ll
${xen}      20.0000  xen-syms-3.1.1           do_grant_table_op
`;

const rr = (tps: string): string => `TCP REQUEST/RESPONSE TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to recv (10.0.0.2) port 0 AF_INET
Local /Remote
Socket Size   Request  Resp.   Elapsed  Trans.
Send   Recv   Size     Size    Time     Rate         
bytes  Bytes  bytes    bytes   secs.    per sec   

16384  87380  1        1       300.00   ${tps}   
16384  87380 
`;

describe('measured tables', () => {
  it('computes cycles/byte per domain with the arithmetic shown', () => {
    const np = importBytesSync('np.txt', enc(stream('800.00', '300.00') + rr('5036.00'))).doc;
    const op = importBytesSync('op.txt', enc(opreport(1000, 600, 400))).doc;
    const t = measuredTables({ netperf: [np], oprofile: [op] }, { system: 'Xen' });
    expect(t.tableIV.throughputMbps?.mean).toBe(800);
    // bytes = 800e6 / 8 × 300 = 3e10; driver cycles = 1000 × 100000 = 1e8 → 1e8 / 3e10.
    const run = t.tableV.runs[0];
    expect(run?.bytes).toBe(3e10);
    expect(run?.perDomain['driver']).toBeCloseTo(1e8 / 3e10, 15);
    expect(run?.perDomain['guest']).toBeCloseTo(6e7 / 3e10, 15);
    // the hypervisor is on its own, and not in the total (the paper's total is driver + guest)
    expect(run?.perDomain['hypervisor']).toBeUndefined();
    expect(run?.hypervisor).toBeCloseTo(4e7 / 3e10, 15);
    expect(run?.perDomain['total']).toBeCloseTo(1.6e8 / 3e10, 15);
    expect(t.tableVII.transactionsPerS?.mean).toBe(5036);
    expect(t.steps.some((s) => s.includes('1,000 samples × 100,000 GLOBAL_POWER_EVENTS events/sample = 100,000,000 cycles'))).toBe(true);
    expect(t.steps.some((s) => s.startsWith('Table V run 1: bytes = 800 Mbit/s × 10^6 ÷ 8 × 300 s = 30,000,000,000 B'))).toBe(true);
  });
  it('repeated runs give mean and a 95% Student-t interval', () => {
    const np = importBytesSync('np.txt', enc(stream('700.00', '10.00') + stream('720.00', '10.00') + stream('740.00', '10.00'))).doc;
    const ops = [1, 2, 3].map((k) => importBytesSync(`op${k}.txt`, enc(opreport(1000 * k, 500, 100))).doc);
    const t = measuredTables({ netperf: [np], oprofile: ops });
    const iv = t.tableIV.throughputMbps?.interval;
    expect(t.tableIV.throughputMbps?.mean).toBeCloseTo(720, 10);
    // sd = 20, t(0.975, 2) = 4.302652729…, half width = t·20/√3.
    expect(iv?.halfWidth).toBeCloseTo((4.302652729749464 * 20) / Math.sqrt(3), 6);
    expect(t.tableV.runs).toHaveLength(3);
    expect(t.tableV.perDomain['driver']?.values).toHaveLength(3);
  });
});

describe('pairing stream runs with profiles', () => {
  // One run and two profiles were paired "first 1 in order" (a line in the collapsed notes): one
  // more log in the cell then changed which run each profile was divided by.
  it('refuses to pair when the numbers of runs and profiles differ, saying why', () => {
    const np = importBytesSync('np.txt', enc(stream('700.00', '10.00'))).doc;
    const ops = [1, 2].map((k) => ({ ...importBytesSync(`op${k}.txt`, enc(opreport(k, 1, 1))).doc, fileName: `op${k}.txt` }));
    const t = measuredTables({ netperf: [np], oprofile: ops }, { system: 'Xen' });
    expect(t.tableV.runs).toEqual([]);
    expect(t.tableV.perDomain).toEqual({});
    expect(t.warnings).toContainEqual(expect.stringMatching(/^Table V left empty: 1 TCP stream run \(with an elapsed time\) and 2 profiles: nothing in the logs says which profile was taken during which run/));
    expect(t.steps).toContain('Table V Xen: not computed: 1 TCP stream run and 2 profiles do not pair one to one');
    // …and likewise one run too many
    const two = importBytesSync('np2.txt', enc(stream('700.00', '10.00') + stream('710.00', '10.00'))).doc;
    expect(measuredTables({ netperf: [two], oprofile: [ops[0] as NamedDoc] }).tableV.runs).toEqual([]);
  });

  it('pairs as many runs as profiles in order, and says the order is assumed', () => {
    const np = { ...importBytesSync('np.txt', enc(stream('700.00', '10.00') + stream('720.00', '10.00'))).doc, fileName: 'np.txt' };
    const ops = [1, 2].map((k) => ({ ...importBytesSync(`op${k}.txt`, enc(opreport(1000 * k, 1, 1))).doc, fileName: `op${k}.txt` }));
    const t = measuredTables({ netperf: [np], oprofile: ops });
    expect(t.tableV.runs.map((r) => r.source)).toEqual(['TCP_STREAM line 1 + profile line 1', 'TCP_STREAM line 8 + profile line 1']);
    expect(t.warnings).toContain('Table V pairs 2 TCP stream runs with 2 profiles in the order given (run 1 (np.txt line 1) ↔ op1.txt line 1, run 2 (np.txt line 8) ↔ op2.txt line 1): the logs do not say which profile was taken during which run; check the order');
    // one of each: nothing to choose, nothing to warn about
    const one = measuredTables({ netperf: [importBytesSync('np.txt', enc(stream('700.00', '10.00'))).doc], oprofile: [ops[0] as NamedDoc] });
    expect(one.tableV.runs).toHaveLength(1);
    expect(one.warnings).toEqual([]);
  });
});

const real = (dir: string, name: string): NamedDoc => ({ ...importBytesSync(name, readFileSync(join(realLogsDir(), dir, name))).doc, fileName: name });
const STREAM_LOCALHOST = 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'; // 2997.84 Mbit/s for 10.00 s

describe('Table V total: driver + guest, as the paper and the simulator count it', () => {
  // xen-syms 500000, vmlinux-xen0 350000, domain1-kernel 200000 samples × 100000 GLOBAL_POWER_EVENTS;
  // bytes = 2997.84 Mbit/s × 10^6 ÷ 8 × 10 s = 3,747,300,000 B.
  const bytes = (2997.84e6 / 8) * 10;
  const tables = (): ReturnType<typeof measuredTables> =>
    measuredTables({ netperf: [real('netperf', STREAM_LOCALHOST)], oprofile: [importBytesSync('op.txt', enc(opreport(350000, 200000, 500000))).doc] }, { system: 'Xen' });

  it('keeps the hypervisor out of the total and reports it on its own', () => {
    const t = tables();
    const v = t.tableV.perDomain;
    expect(v['driver']?.mean).toBeCloseTo(3.5e10 / bytes, 10); // 9.34
    expect(v['guest']?.mean).toBeCloseTo(2e10 / bytes, 10); // 5.337
    // was 28.02 = driver + guest + hypervisor 13.34
    expect(v['total']?.mean).toBeCloseTo(5.5e10 / bytes, 10);
    expect(v['total']?.mean).toBeCloseTo((v['driver']?.mean ?? 0) + (v['guest']?.mean ?? 0), 10);
    expect(v['hypervisor']).toBeUndefined();
    expect(t.tableV.hypervisor?.mean).toBeCloseTo(5e10 / bytes, 10);
    expect(t.steps).toContain(`  total = driver + guest: 550,000 samples × 100,000 = 55,000,000,000 cycles ÷ 3,747,300,000 B = 14.6772 cycles/B; hypervisor 13.3429 cycles/B not in the paper's total`);
    expect(t.steps.some((s) => s.startsWith('  hypervisor: 500,000 samples') && s.endsWith('(not in the total)'))).toBe(true);
    expect(t.steps.some((s) => s.startsWith('Table V Xen hypervisor cycles/byte: 13.3429 cycles/B (1 run; no interval) (not in the total'))).toBe(true);
  });

  it('gives the calibration the same total (it must not take the hypervisor off twice)', () => {
    const target = { throughputMbps: {}, cyclesPerByte: { driver: {}, guest: {}, total: {} }, lroRate: {}, rrTransactionsPerS: {} } as TargetTables;
    addToTarget(target, 'Xen', tables(), []);
    expect(target.cyclesPerByte.total['Xen']).toBeCloseTo(5.5e10 / bytes, 10);
  });
});

describe('Table V only from cycle-counting events', () => {
  const BUS_IO_WAIT = 'xenoprof-rhel5-xen3.1-opreport-t1-symbols-3thread-columns-xen-syms-booktypeset.txt';

  it('leaves Table V empty for a profile of BUS_IO_WAIT, saying so', () => {
    const t = measuredTables({ netperf: [real('netperf', STREAM_LOCALHOST)], oprofile: [real('oprofile', BUS_IO_WAIT)] });
    expect(t.tableV.runs).toEqual([]); // was 4e-7 "cycles/B"
    expect(t.tableV.perDomain).toEqual({});
    expect(t.warnings.join('\n')).toContain(`no cycle-counting event in ${BUS_IO_WAIT} (counted BUS_IO_WAIT)`);
  });

  it('still reads -t thread columns of a cycles event (the columns are threads, not events)', () => {
    const text = readFileSync(join(realLogsDir(), 'oprofile', BUS_IO_WAIT), 'utf8').replace('Counted BUS_IO_WAIT events', 'Counted CPU_CLK_UNHALTED events');
    const op = importBytesSync('t1.txt', enc(text)).doc;
    const t = measuredTables({ netperf: [real('netperf', STREAM_LOCALHOST)], oprofile: [op] });
    // thread column 0: driver 3 samples, hypervisor 32 (× 500 events per sample)
    expect(t.tableV.runs[0]?.perDomain['driver']).toBeCloseTo((3 * 500) / ((2997.84e6 / 8) * 10), 15);
    expect(t.tableV.runs[0]?.hypervisor).toBeCloseTo((32 * 500) / ((2997.84e6 / 8) * 10), 15);
  });

  it('knows the cycle events by name', () => {
    for (const e of ['CPU_CLK_UNHALTED', 'GLOBAL_POWER_EVENTS', 'cpu_clk_unhalted', 'CYCLES', 'cycles:pp', 'cpu-cycles', 'cpu-clock']) expect(isCycleEvent(e), e).toBe(true);
    for (const e of ['BUS_IO_WAIT', 'INSTRUCTIONS', 'LLC_MISSES', 'stalled-cycles-frontend', 'bus-cycles']) expect(isCycleEvent(e), e).toBe(false);
  });
});

describe('runs of different sizes in one cell', () => {
  it('Table VII: says which request/response sizes it averaged, and how many of each', () => {
    const docs = ['netperf-2.4.4-manual-tcp_rr-default.txt', 'netperf-2.7.0-manual-migrated-tcp_rr-default.txt', 'netperf-2.4.4-manual-tcp_rr-burst-first-burst-6.txt'].map((f) => real('netperf', f));
    const t = measuredTables({ netperf: docs, oprofile: [] }, { system: 'Xen' });
    expect(t.tableVII.transactionsPerS?.values).toEqual([29150.15, 59421.52, 3525.97]);
    const mix = '1 B request / 1 B response × 2, 32,768 B request / 32,768 B response × 1';
    expect(t.steps.find((s) => s.startsWith('Table VII Xen TCP_RR: mean'))).toMatch(new RegExp(` — mixes request/response sizes: ${mix}$`));
    expect(t.warnings).toContainEqual(expect.stringContaining(`Table VII: the 3 runs averaged have different request/response sizes (${mix})`));
  });

  it('with the simulation\'s sizes given, runs of those sizes are used and the others left out, named', () => {
    const docs = ['netperf-2.4.4-manual-tcp_rr-default.txt', 'netperf-2.7.0-manual-migrated-tcp_rr-default.txt', 'netperf-2.4.4-manual-tcp_rr-burst-first-burst-6.txt'].map((f) => real('netperf', f));
    const t = measuredTables({ netperf: docs, oprofile: [] }, { system: 'Xen', sizes: { rrRequestBytes: 1, rrResponseBytes: 1 } });
    expect(t.tableVII.transactionsPerS?.values).toEqual([29150.15, 59421.52]);
    expect(t.steps).toContainEqual(expect.stringMatching(/^Table VII run 3 \(line \d+\): 32,768 B request \/ 32,768 B response, not the simulation's 1 B request \/ 1 B response: left out$/));
    expect(t.warnings.join('\n')).not.toMatch(/different request\/response sizes/);
    // no run of the simulation's size: all are used, and the mix is said
    const none = measuredTables({ netperf: docs, oprofile: [] }, { system: 'Xen', sizes: { rrRequestBytes: 200, rrResponseBytes: 200 } });
    expect(none.tableVII.transactionsPerS?.values).toHaveLength(3);
    expect(none.warnings).toContainEqual(expect.stringContaining('Table VII: the 3 runs averaged have different request/response sizes'));
    // Table IV likewise by message size
    const np = importBytesSync('np.txt', enc(stream('800.00', '10.00') + stream('900.00', '10.00').replace('  1024  ', ' 16384  '))).doc;
    const iv = measuredTables({ netperf: [np], oprofile: [] }, { sizes: { messageBytes: 16384 } });
    expect(iv.tableIV.throughputMbps?.values).toEqual([900]);
    expect(iv.steps).toContainEqual(expect.stringContaining("1,024 B messages, not the simulation's 16,384 B: left out"));
  });

  it('Table IV: says which message sizes it averaged; one size gives no warning', () => {
    const np = importBytesSync('np.txt', enc(stream('800.00', '10.00') + stream('900.00', '10.00').replace('  1024  ', ' 16384  '))).doc;
    const t = measuredTables({ netperf: [np], oprofile: [] });
    expect(t.tableIV.throughputMbps?.values).toEqual([800, 900]);
    expect(t.warnings).toContainEqual(expect.stringContaining('Table IV: the 2 runs averaged have different message sizes (1,024 B × 1, 16,384 B × 1)'));
    const same = measuredTables({ netperf: [importBytesSync('np.txt', enc(stream('800.00', '10.00') + stream('900.00', '10.00'))).doc], oprofile: [] });
    expect(same.warnings).toEqual([]);
    expect(same.steps.join('\n')).not.toMatch(/mixes/);
  });
});

describe('iperf3 and flent documents', () => {
  it('iperf3 TCP runs are Table IV stream runs (the receiver\'s bits/s in Mbit/s)', () => {
    const f = 'iperf3-3.20-J-tcp-2-runs-concatenated-no-intervals-lkp.json';
    const t = measuredTables({ netperf: [], oprofile: [], iperf3: [real('iperf3', f)] });
    expect(t.tableIV.throughputMbps?.values).toEqual([19900, 21800]);
    expect(t.steps[0]).toBe(`Table IV run 1 (iperf3 ${f} line 1): 19900000000 bits/s (iperf3 TCP, the receiver's rate) = 19,900 Mbit/s`);
  });

  it('iperf3 UDP runs and flent files are named in the notes, not silently dropped', () => {
    const udp = 'iperf3-3.20-J-udp-2-runs-concatenated-no-intervals-lkp.json';
    const fl: NamedDoc = { tool: 'flent', format: 'flent data v4', warnings: [], records: [], profiles: [], fileName: 'x.flent.gz' };
    const t = measuredTables({ netperf: [], oprofile: [], iperf3: [real('iperf3', udp)], flent: [fl] });
    expect(t.tableIV.throughputMbps).toBeNull();
    expect(t.warnings).toContain(`iperf3 ${udp}: 2 run(s) not used for Tables IV–VII: UDP (Table IV is TCP throughput)`);
    expect(t.warnings).toContainEqual(expect.stringMatching(/^flent x\.flent\.gz: not used for Tables IV–VII \(/));
  });

  it('leaves out reverse and --bidir runs, counting them per file', () => {
    const rec = (test: string): LogRecord => ({ line: 1, test, throughput: 1e9, throughput_units: 'bits/s', elapsed_s: 10, message_bytes: 131072 });
    const doc: NamedDoc = { tool: 'iperf3', format: 'iperf3 -J', warnings: [], profiles: [], fileName: 'r.json', records: [rec('iperf3 TCP'), rec('iperf3 TCP reverse'), rec('iperf3 TCP bidir'), rec('iperf3 TCP bidir reverse')] };
    const t = measuredTables({ netperf: [doc], oprofile: [] });
    expect(t.tableIV.throughputMbps?.values).toEqual([1000]);
    expect(t.warnings).toEqual([
      'iperf3 r.json: 1 run(s) not used for Tables IV–VII: reverse (-R: the server sent, as netperf TCP_MAERTS, which Table IV leaves out)',
      'iperf3 r.json: 2 run(s) not used for Tables IV–VII: --bidir (both directions at once, unlike one netperf TCP_STREAM)',
    ]);
  });

  it('inputsByTool sorts documents by the tool that wrote them', () => {
    const docs = [real('netperf', STREAM_LOCALHOST), real('iperf3', 'iperf3-3.20-J-tcp-loopback-1stream-1interval-lkp.json')];
    const i = inputsByTool(docs);
    expect([i.netperf.length, i.oprofile.length, i.iperf3?.length, i.flent?.length]).toEqual([1, 0, 1, 0]);
  });
});

describe('netperf -P 0 rows (no header, so no units printed)', () => {
  it('reads a TCP_STREAM -P 0 row in netperf\'s default units, 10^6bits/s, and says so', () => {
    const t = measuredTables({ netperf: [real('netperf', 'netperf-2.4.x-manual-tcp_stream-P0-cpu-util-c-C-4concurrent.txt')], oprofile: [] });
    expect(t.tableIV.throughputMbps?.values).toEqual([235.47, 234.73, 234.64, 234.87]); // were dropped for "unknown throughput units"
    expect(t.warnings).toEqual([]);
    expect(t.steps[0]).toBe("Table IV run 1 (line 1): 235.47 10^6bits/s (no units printed: a -P 0 or -v 0 row; read as netperf's default -f m, 10^6bits/s) = 235.47 Mbit/s");
  });

  it('uses the -f of the command when the log shows it', () => {
    const np = importBytesSync('p0.txt', enc('$ netperf -H 10.0.0.2 -P 0 -f g -t TCP_STREAM\n 87380  16384  16384    10.03       0.94\n')).doc;
    const t = measuredTables({ netperf: [np], oprofile: [] });
    expect(t.tableIV.throughputMbps?.values).toEqual([940]);
    expect(t.steps[0]).toMatch(/0\.94 10\^9bits\/s \(no units printed: a -P 0 or -v 0 row; -f g in the command\) = 940 Mbit\/s$/);
  });
});

describe('netperf throughput units the tables cannot read', () => {
  const docOf = (r: LogRecord): NamedDoc => ({ tool: 'netperf', format: 'netperf classic', warnings: [], records: [r], profiles: [], fileName: 'np.txt' });
  const banner = 'TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to h () port 0 AF_INET';

  it('a table run without units (an older import dropped units it did not know) is left out, not read as 10^6bits/s', () => {
    const t = measuredTables({ netperf: [docOf({ line: 1, test: 'TCP_STREAM', banner, throughput: 2997.84, elapsed_s: 10, message_bytes: 16384 })], oprofile: [] });
    expect(t.tableIV.throughputMbps).toBeNull();
    expect(t.warnings).toEqual(['TCP_STREAM run 1 (line 1): no throughput units (a table row whose header units were not kept; import the log again to read them): left out of Table IV']);
  });

  it('units kept as printed that are no netperf units are named, and the run left out', () => {
    const t = measuredTables({ netperf: [docOf({ line: 1, test: 'TCP_STREAM', banner, throughput: 2997.84, throughput_units: 'furlongs/sec', elapsed_s: 10 })], oprofile: [] });
    expect(t.tableIV.throughputMbps).toBeNull();
    expect(t.warnings).toEqual(['TCP_STREAM run 1 (line 1): unknown throughput units "furlongs/sec": left out of Table IV']);
  });

  it('runs whose value the import left empty are named per file', () => {
    const t = measuredTables({ netperf: [docOf({ line: 3, test: 'TCP_RR', banner, elapsed_s: 10 })], oprofile: [] });
    expect(t.warnings).toEqual(["netperf np.txt: 1 TCP_RR run(s) without a transaction rate (line 3): left out of Table VII; the import's warnings say why"]);
  });
});

describe('netperf runs the tables do not use', () => {
  it('are named per file (a UDP_STREAM log left the row empty without a word)', () => {
    const udp: NamedDoc = { ...real('netperf', 'netperf-2.4.4-manual-udp_stream-remote-zero-received.txt'), fileName: 'udp.txt' };
    const t = measuredTables({ netperf: [udp], oprofile: [] }, { system: 'Xen' });
    expect(t.tableIV.throughputMbps).toBeNull();
    expect(t.warnings).toContain('netperf udp.txt: 1 UDP_STREAM run(s) not used for Tables IV–VII (Table IV is TCP_STREAM throughput, Table VII TCP_RR)');
  });
});

describe('Table V from perf report (percentages, not samples)', () => {
  const DEMO = 'netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt'; // 68.87 Mbit/s × 20.34 s
  const DEMO_BYTES = (68.87e6 / 8) * 20.34; // 175,101,975 B
  const PERF46 = 'perf-4.6-report-stdio-header-children-self-folded-callchains-lkp.txt'; // Self Σ 99.53 %, 8,895,026,685 cycles:pp

  // Σ Self % was multiplied by --count as if it were samples: 99.53 × 1,000,003 ÷ B = 0.568 cycles/B.
  it("is the share of perf's event count: 99.53 % × 8,895,026,685 cycles ÷ 175,101,975 B ≈ 50.56 cycles/B", () => {
    const t = measuredTables({ netperf: [real('netperf', DEMO)], oprofile: [real('perf', PERF46)] });
    const v = t.tableV.runs[0]?.perDomain['native'];
    expect(v).toBeCloseTo((0.9953 * 8895026685) / DEMO_BYTES, 6);
    expect(v).toBeCloseTo(50.56, 2);
    expect(t.steps).toContain(`  native: 99.53 % of 8,895,026,685 cycles:pp events (perf's "Event count (approx.)") = 8,853,220,000 cycles ÷ 175,101,975 B = 50.5604 cycles/B`);
    expect(t.steps.join('\n')).not.toMatch(/99\.53 samples/);
  });

  it('refuses a perf profile with percentages only (no event count, no exact samples), saying why', () => {
    const text = readFileSync(join(realLogsDir(), 'perf', PERF46), 'utf8').replace(/^# Event count \(approx\.\):.*\n/m, '');
    const perf: NamedDoc = { ...importBytesSync('p.txt', enc(text)).doc, fileName: 'p.txt' };
    const t = measuredTables({ netperf: [real('netperf', DEMO)], oprofile: [perf] });
    expect(t.tableV.runs).toEqual([]); // was 0.568 "cycles/B"
    expect(t.warnings).toContainEqual(expect.stringContaining('p.txt has perf\'s percentages only: no "# Event count (approx.)" line, and no sample counts'));
  });

  const nPerf = (head: string, rows: Array<[string, number]>): string => {
    const line = (a: string, b: string, c: string, d: string, e: string): string => `${a.padStart(10)}  ${b.padStart(12)}  ${c.padEnd(7)}  ${d.padEnd(17)}  ${e}`;
    return (
      head +
      '#\n' +
      `# ${'Overhead'.padEnd(8)}  ${'Samples'.padStart(12)}  ${'Command'.padEnd(7)}  ${'Shared Object'.padEnd(17)}  Symbol\n` +
      `# ${'.'.repeat(8)}  ${'.'.repeat(12)}  ${'.'.repeat(7)}  ${'.'.repeat(17)}  ${'.'.repeat(22)}\n#\n` +
      rows.map(([pct, n], i) => line(pct, String(n), 'netperf', '[kernel.kallsyms]', `[k] f${i}`)).join('\n') +
      '\n'
    );
  };
  const CMD = '# cmdline : /usr/bin/perf record -a -c 100000 -e cycles -- sleep 20\n';

  it('uses perf report -n sample counts × the fixed period (perf record -c) where they are printed', () => {
    const text = nPerf(`${CMD}# Samples: 300  of event 'cycles'\n`, [['60.00%', 180], ['40.00%', 120]]);
    const doc = importBytesSync('n.txt', enc(text)).doc;
    expect(doc.profiles[0]?.events[0]).toMatchObject({ name: 'cycles', count: 100000, row_samples: 300 });
    const t = measuredTables({ netperf: [real('netperf', DEMO)], oprofile: [doc] });
    expect(t.tableV.runs[0]?.perDomain['native']).toBeCloseTo((300 * 100000) / DEMO_BYTES, 10);
    expect(t.steps).toContainEqual(expect.stringMatching(/^ {2}native: 300 samples \(perf report -n\) × 100,000 cycles events\/sample \(perf record --count\) = 30,000,000 cycles ÷ /));
  });

  it('uses an exact "# Samples: N" header × the fixed period, times the share, when nothing else is printed', () => {
    const text = `${CMD}# Samples: 300  of event 'cycles'\n#\n# Overhead  Command  Shared Object      Symbol\n# ........  .......  .................  ......................\n#\n    60.00%  netperf  [kernel.kallsyms]  [k] f0\n    30.00%  netperf  [kernel.kallsyms]  [k] f1\n`;
    const t = measuredTables({ netperf: [real('netperf', DEMO)], oprofile: [importBytesSync('s.txt', enc(text)).doc] });
    expect(t.tableV.runs[0]?.perDomain['native']).toBeCloseTo((0.9 * 300 * 100000) / DEMO_BYTES, 10);
    // "# Samples: 8K" is rounded: not used that way (see the refusal above)
    expect(t.warnings).toContainEqual(expect.stringContaining('its rows cover only 90 % of perf\'s event count'));
  });

  it('reads the period among perf record\'s own options only, not the workload\'s (iperf3 -c HOST, stress -c 4)', () => {
    expect(recordPeriod('/usr/bin/perf record -a -c 100000 -e cycles -- sleep 20')).toBe(100000);
    expect(recordPeriod('perf record -q -ag --realtime=1 -m 256 --count=1000003 -e cycles:pp -- sleep 20')).toBe(1000003);
    expect(recordPeriod('perf record --count 5000 -a sleep 1')).toBe(5000);
    expect(recordPeriod('/usr/bin/perf record -a -g -- iperf3 -c 10.0.0.2 -t 10')).toBeNull();
    expect(recordPeriod('perf record -F 999 -g stress -c 4')).toBeNull();
    expect(recordPeriod('perf record -e cycles -o out.data netperf -H host -c')).toBeNull();
  });

  it('two reports in one file are two runs even when they spell the cycles event differently', () => {
    const a = readFileSync(join(realLogsDir(), 'perf', PERF46), 'utf8');
    const b = readFileSync(join(realLogsDir(), 'perf', 'perf-5.1-report-stdio-header-children-self-ipc-folded-callchains-lkp.txt'), 'utf8').replace(/cycles:pp/g, 'cycles');
    const two: NamedDoc = { ...importBytesSync('two.txt', enc(a + b)).doc, fileName: 'two.txt' };
    const one = measuredTables({ netperf: [real('netperf', DEMO)], oprofile: [two] });
    // one run against two profiles: not paired by position (the second report was dropped, unsaid)
    expect(one.tableV.runs).toEqual([]);
    expect(one.warnings.join('\n')).toMatch(/1 TCP stream run.* and 2 profiles/);
  });

  it('an elided opreport listing ("...") is said in Table V too, as for perf (it was silent there)', () => {
    const op = real('oprofile', 'opreport-0.9-manual2006-image-summary-long-filenames-piii.txt');
    expect(op.warnings.join(' ')).toMatch(/listing was elided/);
    const t = measuredTables({ netperf: [real('netperf', DEMO)], oprofile: [op] });
    expect(t.warnings).toContainEqual(expect.stringMatching(/^profile 1 \(opreport-0\.9-manual2006-image-summary-long-filenames-piii\.txt\): the listing was elided .*so Table V run 1 counts only their cycles$/));
  });

  it("a perf report's sections of other events (perf 5.1's empty dummy:HG) are the same run, not more profiles", () => {
    const f = 'perf-5.1-report-stdio-header-children-self-ipc-folded-callchains-lkp.txt';
    const t = measuredTables({ netperf: [real('netperf', DEMO)], oprofile: [real('perf', f)] });
    expect(t.tableV.runs).toHaveLength(1);
    expect(t.warnings).toEqual([]);
  });
});
