/**
 * The reproduction as the README's Markdown block (`rxlab reproduce --markdown`). The README quotes
 * this output verbatim and a test compares the two, so the numbers it shows are the program's own
 * and go stale loudly when the model changes.
 */
import { CELL_TOLERANCE_PCT, LRO_RATE_TOLERANCE_PCT } from './compare-tables.js';
import { fmtPct, type ReproduceResult } from './reproduce.js';

const METRIC_NAMES: Record<string, string> = {
  throughput_mbps: 'throughput (Mbit/s)',
  driver: 'cycles/byte, driver domain',
  guest: 'cycles/byte, guest domain',
  total: 'cycles/byte, total',
  lro_rate: 'LRO rate (packets/aggregate)',
  rr_transactions_per_s: 'TCP_RR (transactions/s)',
};

/** Three significant-ish figures, as a table of measured values reads. */
function simulatedText(v: number | null): string {
  if (v === null) return '—';
  const a = Math.abs(v);
  return v.toFixed(a >= 1000 ? 0 : a >= 100 ? 1 : 2);
}

export function reproduceMarkdown(r: ReproduceResult): string {
  const ok = r.cells.filter((c) => c.within_tolerance).length;
  const out: string[] = [
    `Model \`${r.model_version}\`, ${r.seeds.length} seeds, mean of the seeds; tolerance ±${CELL_TOLERANCE_PCT} % per cell, ±${LRO_RATE_TOLERANCE_PCT} % for the LRO rate. ` +
      `**${ok} of ${r.cells.length} cells are within tolerance.**`,
    '',
    '| table | system | metric | paper | simulated | error | |',
    '|---|---|---|---:|---:|---:|---|',
  ];
  for (const c of r.cells) {
    const status = c.within_tolerance ? 'ok' : '**misfit**';
    out.push(`| ${c.table} | ${c.system} | ${METRIC_NAMES[c.metric] ?? c.metric} | ${c.paper} | ${simulatedText(c.simulated)} | ${fmtPct(c.error_pct)} | ${status} |`);
  }
  out.push('', 'Published findings:', '');
  for (const f of r.findings) out.push(`- ${f.holds ? 'holds' : '**does not hold**'}: ${f.text} — ${f.detail}`);
  return out.join('\n');
}
