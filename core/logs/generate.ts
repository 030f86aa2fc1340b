/**
 * Synthetic logs in the real shapes, for the benchmark and the fuzzers. Deterministic from a seed
 * so a failing input can be regenerated.
 */

/** Small, fast PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES = ['vmlinux-2.6.18-xen0', 'xen-syms-3.1.1', 'domain1-kernel', 'domain1-apps', 'domain1-modules', 'domain1-xen', 'libc-2.5.so', 'e1000', 'netserver', 'papps1', 'bridge', 'netback'];
const SYMBOLS = ['skb_copy_bits', '__copy_to_user_ll', 'do_grant_table_op', 'net_rx_action', 'tcp_v4_rcv', 'memcpy', 'e1000_clean_rx_irq', 'netif_receive_skb', 'evtchn_do_upcall', 'hypercall_page', '(no symbols)', 'OP_perf_utils::op_write_event(event_union*, unsigned long long)'];

export function opreportHeader(): string {
  return 'CPU: P4 / Xeon with 2 hyper-threads, speed 3000.21 MHz (estimated)\nCounted GLOBAL_POWER_EVENTS events (time during which processor is not stopped) with a unit mask of 0x01 (mandatory) count 100000\nsamples  %        image name               symbol name\n';
}

export function opreportRow(r: () => number, i: number): string {
  const samples = Math.floor(r() * 1e6);
  const pct = (r() * 10).toFixed(4);
  const img = IMAGES[Math.floor(r() * IMAGES.length)] ?? 'vmlinux';
  const sym = SYMBOLS[Math.floor(r() * SYMBOLS.length)] ?? 'f';
  return `${String(samples).padEnd(8)} ${pct.padStart(7)}  ${img.padEnd(24)} ${sym}_${i}\n`;
}

export function netperfRun(r: () => number, i: number): string {
  const kind = i % 4;
  const t = (r() * 1000).toFixed(2);
  if (kind === 0) {
    return `$ netperf -H 10.0.0.${i % 250} -t TCP_STREAM -l 300 -c -C -- -m 1024\nMIGRATED TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to 10.0.0.2 () port 0 AF_INET : demo\nRecv   Send    Send                          Utilization       Service Demand\nSocket Socket  Message  Elapsed              Send     Recv     Send    Recv\nSize   Size    Size     Time     Throughput  local    remote   local   remote\nbytes  bytes   bytes    secs.    10^6bits/s  % S      % S      us/KB   us/KB\n\n 87380  16384   1024    300.00     ${t}   34.07    35.00    3.111   3.196\n\n`;
  }
  if (kind === 1) {
    let s = `TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to recv (10.0.0.2) port 0 AF_INET : demo\n`;
    for (let k = 0; k < 8; k++) s += `Interim result:  ${(r() * 1000).toFixed(2)} 10^6bits/s over 1.00 seconds ending at ${1327963880 + k}.565\n`;
    return s + `Recv   Send    Send                          \nSocket Socket  Message  Elapsed              \nSize   Size    Size     Time     Throughput  \nbytes  bytes   bytes    secs.    10^6bits/sec  \n\n 87380  16384  16384    10.00    ${t}   \n`;
  }
  if (kind === 2) {
    return `TCP REQUEST/RESPONSE TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to 192.168.2.125 (192.168.2.125) port 0 AF_INET\nLocal /Remote\nSocket Size   Request  Resp.   Elapsed  Trans.\nSend   Recv   Size     Size    Time     Rate         \nbytes  Bytes  bytes    bytes   secs.    per sec   \n\n16384  87380  1        1       10.00    ${(r() * 30000).toFixed(2)}   \n16384  87380 \n`;
  }
  return `2023-09-12 08:47:50 netperf -4 -H 127.0.0.1 -t UDP_STREAM -c -C -l 300  &\nMIGRATED UDP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to 127.0.0.1 () port 0 AF_INET : demo\nSocket  Message  Elapsed      Messages                   CPU      Service\nSize    Size     Time         Okay Errors   Throughput   Util     Demand\nbytes   bytes    secs            #      #   10^6bits/sec % SS     us/KB\n\n212992   65507   300.00    36395320      0    ${t}     24.11    3.977 \n212992           300.00    35314623           61689.4     24.11    3.977 \n\n`;
}
