/**
 * The reference paper's measured tables (Tables IV–VII) and published findings.
 *
 * This is the ONLY module in rxlab that holds the paper's numbers. Model code must never import it:
 * simulated figures come from simulated events and named costs. It is used by `rxlab reproduce`
 * (to print simulated beside measured and the error of each cell), by calibration (as the fit
 * target), by the Compare cell, and by tests. An ESLint rule forbids importing it from core/sim/model.
 */

export const SYSTEMS = ['Linux', 'Xen', 'LRO', 'BO', 'DA'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface PaperTables {
  /** Table IV: netperf TCP_STREAM throughput, Mbit/s (5 min, 1 KB messages). */
  throughputMbps: Record<SystemName, number>;
  /** Table V: oprofile clock cycles per transferred byte. Linux has no per-domain split. */
  cyclesPerByte: {
    driver: Record<SystemName, number | null>;
    guest: Record<SystemName, number | null>;
    total: Record<SystemName, number>;
  };
  /** Table VI: LRO rate, packets per flushed aggregate. Only LRO and DA were published. */
  lroRate: Partial<Record<SystemName, number>>;
  /** Table VII: netperf TCP_RR transactions per second (1-byte request and response). */
  rrTransactionsPerS: Record<SystemName, number>;
}

export const PAPER: PaperTables = {
  throughputMbps: { Linux: 721.1, Xen: 535.9, LRO: 577.2, BO: 576.5, DA: 747.5 },
  cyclesPerByte: {
    driver: { Linux: null, Xen: 14.5, LRO: 13.4, BO: 13.0, DA: 3.3 },
    guest: { Linux: null, Xen: 8.7, LRO: 7.1, BO: 7.7, DA: 5.9 },
    total: { Linux: 17.5, Xen: 23.2, LRO: 20.6, BO: 20.6, DA: 9.2 },
  },
  lroRate: { LRO: 2.55, DA: 4.71 },
  rrTransactionsPerS: { Linux: 6090, Xen: 5036, LRO: 5010, BO: 4999, DA: 5015 },
};

export const PAPER_ENVIRONMENT = {
  receiver: 'Xeon 3 GHz (one core active), 2 GB, r8169 1 Gbps NIC, Linux 2.6.18, Xen 3.1.1',
  guest: '1 vCPU, 512 MB',
  sender: 'AMD Athlon 64 X2, Linux 2.6.18, direct 1 Gbps cable',
  tools: 'netperf 2.4.4 TCP_STREAM (1 KB messages) and TCP_RR, 5 minutes each; oprofile clock cycles',
  mtuBytes: 1500,
} as const;

export const PUBLISHED_FINDINGS = [
  'Xen reaches about 74% of native Linux throughput; LRO lifts it about 8% over Xen.',
  'BO gives no throughput gain over LRO: it lowers driver-domain cycles/byte (skb_copy_bits disappears) but raises guest-domain cycles/byte (__copy_to_user_ll got slower; suspected cause: changed packet alignment).',
  'DA nearly doubles the LRO rate, cuts driver-domain cycles/byte to about a quarter and guest-domain to about two thirds of Xen, and reaches slightly more throughput than native Linux.',
  'TCP_RR transactions/s are about 17% lower on every Xen-based system than on Linux and nearly identical among them.',
  'DA adds latency to aggregated traffic, since a group of packets waits for the next poll before it is flushed.',
] as const;
