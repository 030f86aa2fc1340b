import type { DomainRule, ImportDoc, Profile, ProfileEvent, ProfileRow } from '../types.js';
import { LogParseError } from '../errors.js';
import { classifyImage, compileRules } from './domains.js';

const TAG = /<(\/?)([A-Za-z_][\w-]*)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*(\/?)>([^<]*)/g;
const ATTR = /([\w:-]+)\s*=\s*"([^"]*)"/g;

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(ATTR)) out[m[1] ?? ''] = unescapeXml(m[2] ?? '');
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? _m);
}

function lineAt(text: string, index: number, cache: { pos: number; line: number }): number {
  for (let i = cache.pos; i < index; i++) if (text.charCodeAt(i) === 10) cache.line++;
  cache.pos = index;
  return cache.line;
}

/**
 * opreport -X (schema 3.x): <setup>/<eventsetup>, <binary>/<module> with <count> and <symbol idref>
 * referring to <symboltable>. Percentages are not in the XML; they are computed from the counts.
 *
 * With several events (or --separate=cpu, or unit masks) <classes> declares one <class name="cN"
 * event="E"> per column and each <count class="cN"> names its class; opreport leaves out zero
 * counts (xml_utils.cpp, output_summary_data), so a count's column comes from its class, never
 * from its position. Classes of the same event (one per CPU or unit mask) add up in its column.
 * Without <classes> there is one column and counts are read in order.
 */
export function parseOpreportXml(file: string, text: string, domainRules?: DomainRule[]): ImportDoc {
  const warnings: string[] = [];
  const events: ProfileEvent[] = [];
  /** <eventsetup id>, one per event, in order: what a <class event="…"> refers to. */
  const eventIds: string[] = [];
  /** <class name> → column (index into events). */
  const classes = new Map<string, number>();
  let cpu: string | null = null;
  let mhz: number | null = null;
  const pos = { pos: 0, line: 1 };
  interface Pending { image: string; app: string; idref: string | null; counts: number[]; line: number }
  const pending: Pending[] = [];
  const symbols = new Map<string, { name: string; vma: string | null }>();
  const stack: Array<{ tag: string; a: Record<string, string>; counts: number[]; line: number; hasSymbols: boolean }> = [];
  let binary: string | null = null;
  let sawProfile = false;
  let depthCheck = 0;
  for (const m of text.matchAll(TAG)) {
    const closing = m[1] === '/';
    const tag = m[2] ?? '';
    const selfClose = m[4] === '/';
    const body = m[5] ?? '';
    const line = lineAt(text, m.index, pos);
    if (closing) {
      const top = stack.pop();
      if (top === undefined || top.tag !== tag) throw new LogParseError(file, line, `XML: </${tag}> does not close <${top?.tag ?? 'nothing'}>`);
      if (tag === 'symbol') pending.push({ image: stack[stack.length - 1]?.a['name'] ?? binary ?? '', app: binary ?? '', idref: top.a['idref'] ?? null, counts: top.counts, line: top.line });
      else if ((tag === 'binary' || tag === 'module') && !top.hasSymbols) pending.push({ image: top.a['name'] ?? '', app: binary ?? '', idref: null, counts: top.counts, line: top.line });
      if (tag === 'binary') binary = null;
      const parent = stack[stack.length - 1];
      if (tag === 'count' && parent !== undefined) {
        const v = Number((top.a['_text'] ?? '').trim());
        if (!Number.isFinite(v)) throw new LogParseError(file, line, `XML: <count> is not a number`);
        const cls = top.a['class'];
        if (classes.size === 0 && (cls === undefined || cls === '')) {
          parent.counts.push(v);
        } else {
          const col = cls !== undefined ? classes.get(cls) : undefined;
          if (col === undefined) {
            throw new LogParseError(file, top.line, cls === undefined || cls === '' ? 'XML: <count> has no class, but <classes> declares the columns' : `XML: <count class="${cls}">: class ${cls} is not declared in <classes>`);
          }
          parent.counts[col] = (parent.counts[col] ?? 0) + v;
        }
      }
      if ((tag === 'symbol' || tag === 'module') && parent !== undefined) parent.hasSymbols = true;
      continue;
    }
    const a = attrs(m[3] ?? '');
    if (tag === 'profile') {
      sawProfile = true;
      cpu = a['processor'] ?? a['cputype'] ?? null;
      mhz = a['mhz'] !== undefined ? Number(a['mhz']) : null;
    } else if (tag === 'eventsetup') {
      eventIds.push(a['id'] ?? String(events.length));
      events.push({ name: a['eventname'] ?? 'unknown', count: a['setupcount'] !== undefined ? Number(a['setupcount']) : null, unit_mask: a['unitmask'] ?? null });
    } else if (tag === 'class') {
      // xml_utils.cpp writes event="E" (an <eventsetup> id) only when there are several events.
      const ev = a['event'];
      const col = ev === undefined ? 0 : eventIds.indexOf(ev);
      if (col < 0) throw new LogParseError(file, line, `XML: <class name="${a['name'] ?? ''}"> refers to event ${ev ?? ''}, which no <eventsetup> declares`);
      classes.set(a['name'] ?? '', col);
    } else if (tag === 'binary') {
      binary = a['name'] ?? '';
    } else if (tag === 'symboldata') {
      if (a['id'] !== undefined) symbols.set(a['id'], { name: a['name'] ?? '', vma: a['startingaddr'] ?? null });
    }
    if (!selfClose) {
      if (tag === 'count') a['_text'] = body;
      stack.push({ tag, a, counts: [], line, hasSymbols: false });
      if (++depthCheck > 50_000_000) throw new LogParseError(file, line, 'XML too large');
    }
  }
  if (!sawProfile) throw new LogParseError(file, 1, 'XML has no <profile> element; not opreport -X output');
  if (stack.length > 0) throw new LogParseError(file, lineAt(text, text.length, pos), `XML ends inside <${stack[stack.length - 1]?.tag ?? ''}> (file cut off?)`);
  const groups = Math.max(1, events.length);
  const totals = new Array<number>(groups).fill(0);
  const rows: ProfileRow[] = pending.map((p) => {
    const sym = p.idref !== null ? symbols.get(p.idref) : undefined;
    if (p.idref !== null && sym === undefined) warnings.push(`line ${p.line}: symbol idref ${p.idref} is not in <symboltable>`);
    const samples = Array.from({ length: groups }, (_, g) => p.counts[g] ?? 0);
    return { samples, percent: [], image: p.image, app: p.app, symbol: sym?.name ?? null, vma: sym?.vma ?? null, domain: 'native', depth: 0, role: 'primary', line: p.line };
  });
  for (const r of rows) for (let g = 0; g < groups; g++) totals[g] = (totals[g] ?? 0) + (r.samples[g] ?? 0);
  const rules = compileRules(domainRules);
  const xen = rows.some((r) => r.image !== null && classifyImage(r.image, rules) !== null);
  const domTotals = new Map<string, number[]>();
  for (const r of rows) {
    r.percent = r.samples.map((s, g) => ((totals[g] ?? 0) > 0 ? (100 * s) / (totals[g] ?? 1) : 0));
    r.domain = (r.image !== null ? classifyImage(r.image, rules) : null) ?? (xen ? 'driver' : 'native');
    const acc = domTotals.get(r.domain) ?? new Array<number>(groups).fill(0);
    r.samples.forEach((s, g) => (acc[g] = (acc[g] ?? 0) + s));
    domTotals.set(r.domain, acc);
  }
  warnings.push('opreport -X has no percentages; percent is computed from the counts');
  const profile: Profile = {
    line: 1,
    cpu,
    cpu_mhz: mhz,
    events,
    columns: events.map((e) => e.name),
    rows,
    domain_totals: [...domTotals].map(([domain, samples]) => ({ domain: domain as ProfileRow['domain'], samples })),
    row_count: rows.length,
  };
  return { tool: 'oprofile', format: 'opreport xml', warnings, records: [], profiles: [profile] };
}
