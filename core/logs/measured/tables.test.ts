import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../import.js';
import { measuredTables } from './tables.js';

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
    expect(run?.perDomain['hypervisor']).toBeCloseTo(4e7 / 3e10, 15);
    expect(run?.perDomain['total']).toBeCloseTo(2e8 / 3e10, 15);
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
  it('skips failed runs and says when pairing is uneven', () => {
    const np = importBytesSync('np.txt', enc(stream('700.00', '10.00'))).doc;
    const ops = [1, 2].map(() => importBytesSync('op.txt', enc(opreport(1, 1, 1))).doc);
    const t = measuredTables({ netperf: [np], oprofile: ops });
    expect(t.tableV.runs).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/pairing the first 1/);
    expect(t.tableV.perDomain['driver']?.interval).toBeNull();
  });
});
