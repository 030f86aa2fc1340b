/**
 * Metric names as the app and the PDF report label them on axes and in tables ("Throughput
 * (Mbit/s)" for throughput_mbps). Pure and shared: the renderer imports it as a value (eslint's
 * allowed list), so the notebook and its report cannot drift apart.
 */
export const METRIC_LABELS: Record<string, { label: string; unit: string }> = {
  throughput_mbps: { label: 'Throughput', unit: 'Mbit/s' },
  'cycles_per_byte.driver': { label: 'Cycles/byte, driver domain', unit: 'cycles/B' },
  'cycles_per_byte.guest': { label: 'Cycles/byte, guest domain', unit: 'cycles/B' },
  'cycles_per_byte.total': { label: 'Cycles/byte, total', unit: 'cycles/B' },
  lro_rate: { label: 'LRO rate', unit: 'packets/aggregate' },
  rr_transactions_per_s: { label: 'TCP_RR rate', unit: 'transactions/s' },
  'flush_latency_us.mean': { label: 'Flush latency, mean', unit: 'µs' },
  'flush_latency_us.p50': { label: 'Flush latency, median', unit: 'µs' },
  'flush_latency_us.p99': { label: 'Flush latency, p99', unit: 'µs' },
  acks_per_segment: { label: 'ACKs per data segment', unit: 'ACKs' },
  'drops.nic_ring': { label: 'Drops, NIC ring', unit: 'frames' },
  'drops.vif_queue': { label: 'Drops, vif queue', unit: 'skbs' },
  'drops.tcp_out_of_order': { label: 'Drops, TCP out of order', unit: 'segments' },
  events: { label: 'Simulated events', unit: 'events' },
  'diagnostics.xen_cycles_per_byte': { label: 'Hypervisor cycles/byte (apart from the domains)', unit: 'cycles/B' },
  'diagnostics.irqs_per_s': { label: 'Physical IRQs', unit: '/s' },
  'diagnostics.polls_per_s': { label: 'NAPI polls', unit: '/s' },
  'diagnostics.packets_per_poll': { label: 'Packets per poll', unit: 'packets' },
  'diagnostics.notifications_per_s': { label: 'Event-channel notifications', unit: '/s' },
  'diagnostics.domain_switches_per_s': { label: 'Domain switches', unit: '/s' },
  'diagnostics.netback_runs_per_s': { label: 'netback RX runs', unit: '/s' },
  'diagnostics.retransmitted_segments': { label: 'Retransmitted segments', unit: 'segments' },
  'diagnostics.data_segments_per_s': { label: 'Data segments delivered', unit: '/s' },
  'diagnostics.netfront_lro_rate': { label: 'netfront LRO rate', unit: 'skbs/aggregate' },
  'diagnostics.warmup_drops': { label: 'Drops during the warm-up', unit: 'packets' },
};

/** "Throughput (Mbit/s)" for throughput_mbps; a name the app has no label for is shown as it is. */
export function metricLabel(key: string): string {
  const m = METRIC_LABELS[key];
  if (m) return `${m.label} (${m.unit})`;
  if (key.startsWith('cpu_busy_share')) return `${key.replace('cpu_busy_share.', 'CPU busy share, ')} (fraction)`;
  return key;
}
