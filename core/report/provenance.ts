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

/** Sets side by side in one table of the knobs that differ, at most this many (a column each). */
export const SETS_PER_TABLE = 8;

/** A knob's value in full (provenance: never rounded); a knob a set does not have: "–". */
function knobValue(v: unknown): string {
  if (v === undefined) return '–';
  return typeof v === 'string' ? v : stableStringify(v);
}

/**
 * Parameter sets are long (every knob of the model, some 70): each distinct one is labelled once
 * (P1, P2, …) and the provenance tables name it. Appendix D prints them as one table of the knobs
 * that differ between the sets, a column per set, then the knobs every set shares, once, as a
 * compact key/value list: every value of every set is there, without seven near-identical JSON
 * blobs that wrapped mid-token across pages.
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
    const sets = [...this.labels].map(([json, label]) => ({ label, knobs: knobsOf(json) }));
    const keys = [...new Set(sets.flatMap((x) => Object.keys(x.knobs)))].sort();
    const differs = (k: string): boolean => new Set(sets.map((x) => knobValue(x.knobs[k]))).size > 1;
    const varying = keys.filter(differs);
    const common = keys.filter((k) => !differs(k));
    const parts: string[] = [];
    for (let i = 0; i < sets.length && varying.length; i += SETS_PER_TABLE) {
      const chunk = sets.slice(i, i + SETS_PER_TABLE);
      const span = chunk.length > 1 ? `${chunk[0]?.label}–${chunk[chunk.length - 1]?.label}` : (chunk[0]?.label ?? '');
      const rows = varying.map((k) => `<tr><td class="knob">${esc(k)}</td>${chunk.map((x) => `<td class="knob-value">${esc(knobValue(x.knobs[k]))}</td>`).join('')}</tr>`).join('');
      parts.push(
        `<table class="params-diff${varying.length <= 30 ? ' keep' : ''}"><caption>${esc(`The ${varying.length} knob(s) that differ between the sets (${span})`)}</caption><thead><tr><th>Knob</th>${chunk.map((x) => `<th>${esc(x.label)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`,
      );
    }
    if (common.length) {
      const head = sets.length > 1 ? `The other ${common.length} knob(s), the same in every set` : `All ${common.length} knob(s) of ${sets[0]?.label ?? 'P1'}`;
      parts.push(`<h3>${esc(head)}</h3><div class="params-common">${common.map((k) => `<div class="kv"><span class="k">${esc(k)}:</span> ${esc(knobValue(sets[0]?.knobs[k]))}</div>`).join('')}</div>`);
    }
    return parts.join('\n');
  }
}

/** A set's knobs by name; a set stored as something other than an object keeps its JSON under one name, so nothing is lost. */
function knobsOf(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // not JSON: printed as it is below
  }
  return { '(parameters)': json };
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
