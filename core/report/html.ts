import type { StoredRun } from '../contract/index.js';
import { configLines } from './config-lines.js';
import { esc, fmtNum } from './escape.js';
import { appendixData } from './figure-data.js';
import { ParameterSets, provenanceTable } from './provenance.js';
import { renderChart } from './svg.js';
import type { Block, Figure, ReportModel, ReportOptions, Section, TableData, TableValue } from './types.js';

/**
 * The report as ONE self-contained HTML page: inline CSS, inline SVG, no script and no external URL, so
 * Electron's printToPDF, headless Chromium and a reviewer's browser all render the same thing offline.
 * The CSP forbids scripts and fetches even if a sanitiser bug let markup through.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'";

/** Rows of a table shown inside a section before it says "first N of M rows". */
export const SECTION_ROW_LIMIT = 100;

const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #111; line-height: 1.35; }
body { margin: 0; padding: 0 2mm; max-width: 190mm; margin-inline: auto; }
h1 { font-size: 20pt; margin: 0 0 4pt; overflow-wrap: anywhere; }
h2, h3, p, li, .md, figcaption, caption { overflow-wrap: anywhere; }
h2 { font-size: 13.5pt; margin: 18pt 0 6pt; border-bottom: 1px solid #bbb; padding-bottom: 2pt; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid; }
p.meta { color: #444; margin: 0 0 8pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: 8.6pt; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9.5pt; padding-bottom: 3pt; }
th, td { border: 1px solid #ccc; padding: 2pt 4pt; vertical-align: top; overflow-wrap: break-word; }
td.hash, td.mono { overflow-wrap: anywhere; }
th { background: #eef2f6; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ok { color: #2e7d32; } td.meh { color: #8a5100; } td.bad { color: #c62828; }
thead { display: table-header-group; }
tr, figure, .keep, pre { break-inside: avoid; page-break-inside: avoid; }
/* a short row label ("Xen driver", "LRO TCP_STREAM") on one line: wrapped it read as two rows */
td.label { white-space: nowrap; }
figure { margin: 6pt 0 12pt; }
figure svg { width: 100%; height: auto; max-height: 120mm; display: block; }
figcaption { font-size: 8.8pt; color: #333; margin-top: 3pt; }
.note { font-size: 9pt; color: #555; font-style: italic; margin: 4pt 0; }
.stale { color: #8a5a00; font-weight: bold; }
.env td:first-child { width: 28%; color: #333; }
.config { margin: 4pt 0 8pt; font-size: 8.5pt; color: #333; }
.config .config-head { color: #555; font-weight: bold; margin-bottom: 1pt; }
.config .kv { padding-left: 8pt; text-indent: -8pt; overflow-wrap: anywhere; }
.config .k { color: #555; }
.config .more { font-style: italic; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 7.8pt; background: #f6f6f6; padding: 4pt; margin: 2pt 0; }
table.params-diff td.knob, .params-common .k { font-family: "Liberation Mono", monospace; font-size: 7.4pt; }
table.params-diff td.knob-value { font-size: 8pt; }
/* the knobs every set shares: three columns of "knob: value", none split across a column */
.params-common { column-count: 3; column-gap: 10pt; font-size: 7.8pt; margin: 2pt 0 8pt; }
.params-common .kv { break-inside: avoid; padding-left: 8pt; text-indent: -8pt; overflow-wrap: anywhere; }
.params-common .k { color: #444; }
code { font-size: 0.92em; }
.mono { font-family: "Liberation Mono", monospace; font-size: 7.4pt; }
.appendix { break-before: page; page-break-before: always; }
.md img { max-width: 100%; }
@media screen { body { padding: 12px; } }
`;

/**
 * Break opportunities after _ . / inside long names (cycles_per_byte.total, a log's file name), so they
 * can wrap instead of overflowing the page. Not in short tokens and not before a piece of one or two
 * characters: a table's auto layout takes every <wbr> as a place it may break, and printed
 * "TCP_ STREAM", "TCP_ RR" and "cycles/ B" where nothing needed to wrap.
 */
export function wrappable(text: string): string {
  return text
    .split(/(\s+)/)
    .map((token) => (token.length > 12 ? esc(token).replace(/([._/])(?=\w{3})/g, '$1<wbr>') : esc(token)))
    .join('');
}

/** The app's class for an error against the paper (renderer stats.ts deltaClass): inside the tolerance, within 10 %, beyond. */
export function deltaClass(d: number, tolerancePct: number): 'ok' | 'meh' | 'bad' {
  return Math.abs(d) <= tolerancePct ? 'ok' : Math.abs(d) <= 10 ? 'meh' : 'bad';
}

function cell(v: TableValue, delta: boolean, tolerancePct: number | null = null, label = false): string {
  if (v === null) return '<td class="n">–</td>';
  if (typeof v === 'number') {
    if (delta) {
      const cls = tolerancePct === null ? '' : ` ${deltaClass(v, tolerancePct)}`;
      return `<td class="n${cls}">${v > 0 ? '+' : v < 0 ? '−' : ''}${esc(Math.abs(v).toFixed(1))}</td>`;
    }
    return `<td class="n">${esc(fmtNum(v))}</td>`;
  }
  // SHA-256s and JSON may break anywhere; words in other cells only break when they cannot fit.
  if (/^-?\d+(\.\d+)?$/.test(v)) return `<td class="n">${esc(v)}</td>`; // a number kept as printed
  if (/^-?[\d.]+(e[-+]?\d+)? (± |\(n = )/.test(v)) return `<td class="n">${esc(v)}</td>`; // a mean ± its interval
  if (/^[0-9a-f]{64}$/.test(v)) return `<td class="mono hash">${esc(v)}</td>`;
  return label && v.length <= LABEL_CHARS ? `<td class="label">${esc(v)}</td>` : `<td>${wrappable(v)}</td>`;
}

/** A first-column text up to this long is a row's label and is not wrapped; a file name is longer and may wrap. */
const LABEL_CHARS = 24;

export function tableHtml(t: TableData, limit = Infinity): string {
  const deltas = new Set(t.deltaColumns ?? []);
  const judged = new Set(t.tolerance?.columns ?? []);
  const tol = (i: number): number | null => (t.tolerance && judged.has(i) ? t.tolerance.pct : null);
  const rows = t.rows.slice(0, limit);
  // Short tables never split across a page; long ones split between rows (headers repeat).
  const keep = rows.length <= 30 ? ' class="keep"' : '';
  const more = t.rows.length > rows.length ? `<p class="note">First ${rows.length.toLocaleString('en-US')} of ${t.rows.length.toLocaleString('en-US')} rows; the CSV export (table id ${esc(t.id)}) has all of them.</p>` : '';
  return (
    `<table${keep} id="${esc(t.id)}"><caption>${esc(t.title)}</caption><thead><tr>${t.columns.map((c) => `<th>${wrappable(c)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((v, i) => cell(v, deltas.has(i), tol(i), i === 0)).join('')}</tr>`).join('') +
    `</tbody></table>${t.note ? `<p class="note">${esc(t.note)}</p>` : ''}${more}`
  );
}

export function figureSvg(f: Figure): { svg: string; caption: string } {
  const r = renderChart(f.spec);
  const caption = `${f.caption}${r.decimation ? ` Decimated for drawing: ${r.decimation}; the CSV export keeps every point.` : ''}`;
  return { svg: r.svg, caption };
}

function figureHtml(f: Figure): string {
  const { svg, caption } = figureSvg(f);
  return `<figure id="fig-${f.number}">${svg}<figcaption><b>Figure ${f.number}.</b> ${esc(caption)} Data and provenance: Appendix A.${f.number}.</figcaption></figure>`;
}

function blockHtml(b: Block): string {
  switch (b.type) {
    case 'markdown':
      return `<div class="md">${b.html}</div>`;
    case 'table':
      // long tables are cut in the body; the CSV/JSON export (and the appendix for figure data) has every row
      return tableHtml(b.table, SECTION_ROW_LIMIT);
    case 'figure':
      return figureHtml(b.figure);
    case 'note':
      return `<p class="note">${esc(b.text)}</p>`;
    case 'pre':
      return `<h3>${esc(b.title)}</h3><pre>${esc(b.text)}</pre>`;
  }
}

/** The settings as "key: value" lines under a plain heading (no disclosure widget: paper cannot unfold one). */
function configHtml(config: Record<string, unknown>): string {
  const { lines, more } = configLines(config);
  const rows = lines.map(([k, v]) => `<div class="kv"><span class="k">${wrappable(k)}:</span> ${esc(v)}</div>`).join('');
  const rest = more ? `<div class="kv more">… and ${more} more setting(s) in the notebook's JSON export.</div>` : '';
  return `<div class="config"><div class="config-head">Configuration</div>${rows}${rest}</div>`;
}

/** About how many 10 pt lines fill an A4 page between the margins. */
const PAGE_LINES = 55;
/** A section's opening kept on one page only up to this size: a bigger block moved whole to the next page and left most of a page empty. */
export const LEAD_KEEP_LINES = Math.round(PAGE_LINES * 0.6);

/** A rough height of a block in lines, to decide what may be kept together (no layout engine here). */
export function blockLines(b: Block): number {
  switch (b.type) {
    case 'table': {
      const rows = Math.min(b.table.rows.length, SECTION_ROW_LIMIT);
      return 3 + rows * 1.6 + (b.table.note ? 2 : 0);
    }
    case 'figure':
      return 30; // 120 mm at most, and its caption
    case 'note':
      return 1 + Math.ceil(b.text.length / 110);
    case 'markdown':
      return 2 + Math.ceil(b.html.replace(/<[^>]*>/g, '').length / 100);
    case 'pre':
      return 2 + b.text.split('\n').length;
  }
}

function sectionHtml(s: Section, i: number, opts: ReportOptions): string {
  const head = s.kind === 'markdown' ? '' : `<h2>${i}. ${esc(s.heading)}</h2>`;
  const stale = s.stale ? '<p class="stale">This output is stale: the configuration changed after it was computed.</p>' : '';
  const config = opts.omitConfig || s.kind === 'markdown' || Object.keys(s.config).length === 0 ? '' : configHtml(s.config);
  // The heading travels with what follows it (Chromium does not reliably honour break-after: avoid):
  // the notes before the first table/figure and, when the whole opening fits in part of a page, that
  // table or figure too. A long opening is not one block: kept whole, it moved to the next page and
  // left most of this one empty; its table then starts under the heading and splits between rows.
  const k = s.blocks.findIndex((b) => b.type !== 'note');
  const leadBlocks = s.blocks.slice(0, k < 0 ? s.blocks.length : k + 1);
  const rest = s.blocks.slice(leadBlocks.length);
  const configLineCount = opts.omitConfig ? 0 : configLines(s.config).lines.length + 1;
  const leadLines = 3 + configLineCount + leadBlocks.reduce((a, b) => a + blockLines(b), 0);
  const first = leadBlocks[leadBlocks.length - 1];
  const together = leadLines <= LEAD_KEEP_LINES || first?.type === 'note' || first === undefined;
  const kept = together ? leadBlocks : leadBlocks.slice(0, -1);
  const free = together ? rest : [...leadBlocks.slice(-1), ...rest];
  const lead = `<div class="keep">${head}${stale}${config}${kept.map(blockHtml).join('\n')}</div>`;
  return `<section class="cell cell-${esc(s.kind)}" data-cell="${esc(s.cellId)}">${lead}${free.map(blockHtml).join('\n')}</section>`;
}

function appendixHtml(m: ReportModel, opts: ReportOptions): string {
  const limit = opts.appendixRowLimit ?? 150;
  const sets = new ParameterSets();
  // a measured run's system is its testbed (its Import cell's "Measured on"), not stored with the run
  const systemOf = (r: StoredRun): string | null => r.system ?? m.measuredSystems.get(r.id) ?? null;
  const parts: string[] = ['<section class="appendix"><h2>Appendix A. Data and provenance of each figure</h2>'];
  if (!m.figures.length) parts.push('<p class="note">This report has no figures.</p>');
  for (const f of m.figures) {
    const runs = [...new Set(f.runIds)].map((id) => m.runs.get(id)).filter((r): r is StoredRun => !!r);
    parts.push(`<h3>A.${f.number}. Figure ${f.number}: ${esc(f.title)}</h3>`, tableHtml(appendixData(f), limit), provenanceTable(runs, `Provenance of Figure ${f.number}: ${runs.length} run(s)`, sets, systemOf));
  }
  parts.push('<h2>Appendix B. Imported files</h2>');
  parts.push(
    m.files.length
      ? tableHtml({
          id: 'appendix-files',
          title: 'Imported raw logs (bytes kept in the database and in the .rxnb export)',
          columns: ['File', 'Tool', 'Format', 'Parser', 'Size (bytes)', 'SHA-256', 'Imported'],
          rows: m.files.map((f) => [f.fileName, f.tool, f.format, f.parserVersion, f.sizeBytes, f.sha256, f.importedAt]),
        })
      : '<p class="note">No imported files.</p>',
  );
  parts.push('<h2>Appendix C. All runs of this notebook</h2>', provenanceTable([...m.runs.values()].sort((a, b) => a.id - b.id), `${m.runs.size} run(s); runs that differ only by seed share a row`, sets, systemOf));
  parts.push('<h2>Appendix D. Parameter sets</h2>', '<p class="note">Each distinct set of parameters the simulated runs above were made with: every knob of the model as the run resolved it, the knobs that differ between the sets side by side, the others once. Measured runs have none: their provenance is their log (Appendix B).</p>', sets.html(), '</section>');
  return parts.join('\n');
}

export function renderReportHtml(m: ReportModel, opts: ReportOptions = {}): string {
  const env = m.env;
  const envRows: [string, string][] = [
    ['Generated', env.generatedAt],
    ['rxlab version', env.appVersion],
    ['Model version', env.modelVersions.length ? env.modelVersions.join(', ') : 'no simulated runs'],
    ['Host', env.host],
    ['Operating system', env.os],
    ['Node.js', env.node],
    ['Notebook', `#${m.notebookId}, created ${m.createdAt}, last changed ${m.updatedAt}`],
  ];
  let n = 0;
  const body = m.sections.map((s) => sectionHtml(s, s.kind === 'markdown' ? n : ++n, opts)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="generator" content="rxlab ${esc(env.appVersion)}">
<title>${esc(m.title)}</title><style>${CSS}</style></head>
<body>
<header><h1>${esc(m.title)}</h1><p class="meta">rxlab notebook report · ${esc(env.generatedAt.slice(0, 10))}</p>
<table class="env keep"><caption>Environment</caption><tbody>${envRows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</tbody></table></header>
<main>
${body || '<p class="note">This notebook has no cells.</p>'}
</main>
${appendixHtml(m, opts)}
</body></html>
`;
}
