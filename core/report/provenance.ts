import type { StoredRun } from '../contract/index.js';
import { stableStringify } from '../store/runs.js';
import { esc } from './escape.js';

/**
 * The provenance tables of the appendix. Their size must not grow with the number of runs: an Import
 * cell can hold hundreds of thousands of runs of one log, and a report that printed a row (or a
 * parameter set) per run was hundreds of MB that Chromium could not print. So runs are grouped, a
 * table prints at most PROVENANCE_ROW_LIMIT groups, and a group's run ids at most ID_RANGE_LIMIT ranges.
 */
export const PROVENANCE_ROW_LIMIT = 40;
export const ID_RANGE_LIMIT = 12;

export interface ProvenanceGroup {
  kind: string;
  system: string | null;
  workload: string | null;
  modelVersion: string | null;
  inputSha256: string | null;
  /** Resolved model parameters (stable JSON) of a simulated group; null for measured runs, which have none. */
  parameters: string | null;
  seeds: number[];
  runIds: number[];
}

/**
 * Simulated runs that differ only by seed collapse into one row, so provenance stays readable for many
 * seeds. Measured runs have no model parameters (what is stored as theirs is the record's place in its
 * log: tool, format, index), so the runs of one log on one testbed and workload are one row.
 */
export function groupProvenance(runs: StoredRun[], systemOf: (r: StoredRun) => string | null = (r) => r.system): ProvenanceGroup[] {
  const groups = new Map<string, ProvenanceGroup>();
  const workloads = new Map<ProvenanceGroup, Set<string>>();
  for (const r of runs) {
    const p = r.provenance;
    const measured = r.kind !== 'simulated';
    const parameters = measured ? null : stableStringify(p.parameters);
    const system = systemOf(r);
    // a log is one row whatever its records test (a flent file's 53 flows were 53 rows)
    const key = stableStringify([r.kind, system, measured ? null : r.workload, p.modelVersion, p.inputSha256, r.importedFileId, parameters]);
    const g = groups.get(key) ?? { kind: r.kind, system, workload: r.workload, modelVersion: p.modelVersion, inputSha256: p.inputSha256, parameters, seeds: [], runIds: [] };
    if (p.seed !== null) g.seeds.push(p.seed);
    g.runIds.push(r.id);
    groups.set(key, g);
    const w = workloads.get(g) ?? new Set<string>();
    if (r.workload !== null) w.add(r.workload);
    workloads.set(g, w);
  }
  for (const [g, w] of workloads) if (w.size > 1) g.workload = w.size <= 3 ? [...w].join(', ') : `${w.size} tests`;
  // simulated runs first: with many logs the table is cut, and the model's runs must not be what goes
  return [...groups.values()].sort((a, b) => Number(a.kind !== 'simulated') - Number(b.kind !== 'simulated'));
}

/** Ids as ranges ("3–7, 9"), at most `limit` of them, then how many ids there are in all. */
export function idList(ids: number[], limit = ID_RANGE_LIMIT): string {
  const s = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && (s[j + 1] ?? 0) === (s[j] ?? 0) + 1) j++;
    parts.push(j > i + 1 ? `${s[i]}–${s[j]}` : j === i + 1 ? `${s[i]}, ${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  if (parts.length <= limit) return parts.join(', ');
  return `${parts.slice(0, limit).join(', ')}, … (${s.length.toLocaleString('en-US')} in all)`;
}

/**
 * Parameter sets are long (every knob of the model, some 70): each distinct one is printed once, in
 * Appendix D, and the provenance tables name it (P1, P2, …). Printed in full on every row, one
 * three-cell notebook took 15 pages of the same JSON.
 */
export class ParameterSets {
  private readonly labels = new Map<string, string>();
  label(json: string): string {
    let l = this.labels.get(json);
    if (l === undefined) {
      l = `P${this.labels.size + 1}`;
      this.labels.set(json, l);
    }
    return l;
  }
  html(): string {
    if (!this.labels.size) return '<p class="note">No simulated runs, so no parameter sets.</p>';
    return [...this.labels].map(([json, l]) => `<h3>${esc(l)}</h3><pre class="params">${esc(json)}</pre>`).join('\n');
  }
}

function groupRow(g: ProvenanceGroup, sets: ParameterSets): string {
  const params = g.parameters === null ? '–' : sets.label(g.parameters);
  return `<tr><td>${esc(idList(g.runIds))}</td><td>${esc(g.kind)}</td><td>${esc(g.system ?? '–')}</td><td>${esc(g.workload ?? '–')}</td><td>${esc(g.modelVersion ?? '–')}</td><td>${esc(g.seeds.length ? idList(g.seeds) : '–')}</td><td class="mono">${esc(g.inputSha256 ?? '–')}</td><td>${esc(params)}</td></tr>`;
}

export function provenanceTable(runs: StoredRun[], title: string, sets: ParameterSets, systemOf: (r: StoredRun) => string | null): string {
  if (!runs.length) return '<p class="note">No stored runs behind this.</p>';
  const groups = groupProvenance(runs, systemOf);
  const shown = groups.slice(0, PROVENANCE_ROW_LIMIT);
  const rest = groups.slice(shown.length);
  const restRuns = rest.reduce((a, g) => a + g.runIds.length, 0);
  // only the printed rows name a parameter set, so Appendix D holds no set that no row points at
  const rows = shown.map((g) => groupRow(g, sets)).join('');
  const more = rest.length
    ? `<p class="note">… and ${rest.length.toLocaleString('en-US')} more group(s) of runs (${restRuns.toLocaleString('en-US')} runs): the runs CSV/JSON export and \`rxlab runs\` list every run with its provenance.</p>`
    : '';
  return `<table${shown.length <= 20 ? ' class="keep"' : ''}><caption>${esc(title)}</caption><thead><tr><th>Runs</th><th>Kind</th><th>System</th><th>Workload</th><th>Model version</th><th>Seeds</th><th>Input SHA-256</th><th>Parameters (Appendix D)</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}
