/**
 * Metric names as the app and the PDF report label them on axes and in tables ("Throughput
 * (Mbit/s)" for throughput_mbps), and a sweep's knob axis ("flush_timeout_us — aggregate age that
 * triggers a flush (µs)"). Pure and shared: the renderer imports it as a value (eslint's allowed
 * list), so the notebook and its report cannot drift apart.
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
  'diagnostics.fast_retransmits': { label: 'Fast retransmits (3 duplicate ACKs)', unit: 'losses' },
  'diagnostics.retransmission_timeouts': { label: 'Retransmission timeouts', unit: 'timeouts' },
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

/** A knob's unit and meaning as core/sim/params.ts gives them (ParamSpec's unit, doc and short). */
export interface KnobAxisSpec {
  unit: string;
  doc: string;
  /** The knob's meaning in a few words, where its doc does not open with one (absent in sweeps stored before it). */
  short?: string;
}

/** A meaning longer than this is left off the axis rather than crowding it. */
const MAX_MEANING = 48;

/** One line, no markup (Plotly reads tags in titles): what a stored output may put on an axis. */
function plain(v: unknown, max: number): v is string {
  if (typeof v !== 'string' || v.length > max || v.includes('<')) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 32 || c === 127) return false;
  }
  return true;
}

/** The knob's short meaning: its spec's `short`, else the opening clause of its doc if short; '' if neither. */
export function knobMeaning(doc: string, short?: string): string {
  if (short !== undefined) return short;
  const cuts = [': ', '; ', ' (', ' — '].map((c) => doc.indexOf(c)).filter((i) => i >= 0);
  const lead = (cuts.length ? doc.slice(0, Math.min(...cuts)) : doc).trim();
  return lead.length <= MAX_MEANING ? lead : '';
}

/**
 * A knob as an axis title: "flush_timeout_us — aggregate age that triggers a flush (µs)", or
 * "flush_policy — when held LRO aggregates are flushed" for a knob without a unit. Without a spec
 * (a sweep stored before sweeps carried their knobs' specs) the bare knob name.
 */
export function knobAxisLabel(key: string, spec: KnobAxisSpec | null | undefined): string {
  if (!spec) return key;
  const meaning = knobMeaning(spec.doc, spec.short);
  return `${key}${meaning ? ` — ${meaning}` : ''}${spec.unit ? ` (${spec.unit})` : ''}`;
}

/**
 * The spec a sweep output carries for one of its varied knobs (SweepOutcome.varySpecs), read
 * defensively: outputs stored before the field existed, older .rxnb files and damaged outputs have
 * none, or one that is not {unit: string, doc: string}; then null.
 */
export function sweepKnobSpec(output: unknown, key: string): KnobAxisSpec | null {
  if (output === null || typeof output !== 'object') return null;
  const specs: unknown = (output as { varySpecs?: unknown }).varySpecs;
  if (specs === null || typeof specs !== 'object' || Array.isArray(specs) || !Object.hasOwn(specs, key)) return null;
  const s: unknown = (specs as Record<string, unknown>)[key];
  if (s === null || typeof s !== 'object') return null;
  const { unit, doc, short } = s as { unit?: unknown; doc?: unknown; short?: unknown };
  if (!plain(unit, 40) || !plain(doc, 2000)) return null;
  return plain(short, MAX_MEANING) ? { unit, doc, short } : { unit, doc };
}

/** A sweep chart's x-axis title, in the notebook and in the report: knobAxisLabel with the output's spec. */
export function sweepAxisLabel(output: unknown, key: string): string {
  return knobAxisLabel(key, sweepKnobSpec(output, key));
}

/**
 * A Plot cell's axis title, in the notebook and in the report: a knob it took from a sweep carries the
 * sweep's spec (PlotOutput.varySpecs) and reads as the sweep's own axis; a metric, or a plot stored
 * before plots carried specs, reads as the metric's label (or the bare name).
 */
export function plotAxisLabel(output: unknown, key: string): string {
  return sweepKnobSpec(output, key) ? sweepAxisLabel(output, key) : metricLabel(key);
}
