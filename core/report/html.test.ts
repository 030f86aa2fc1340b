import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildReportHtml } from './build.js';
import { renderMarkdown } from './markdown.js';
import { makeFixture, XSS, IMPORTED_THROUGHPUT, type Fixture } from './test-fixture.js';
import { buildReportModel } from './model.js';
import { tableExport } from '../handlers/report-exports.js';
import { getRuns } from '../store/runs.js';
import { intervalText, summarize } from './stats.js';
import { esc } from './escape.js';
import { SETS_PER_TABLE } from './provenance.js';

describe('markdown', () => {
  test('raw HTML is sanitised as the app sanitises it: script and iframe gone with their text, not printed as text', () => {
    const html = renderMarkdown(XSS);
    expect(html).not.toMatch(/<script|&lt;script/i);
    expect(html).not.toContain('alert("xss")');
    expect(html).not.toMatch(/<img|<iframe|&lt;iframe|onerror/i);
    // in a list item, as the app shows it (DOMPurify drops the element and its text)
    expect(renderMarkdown('- item <script>alert(1)</script>\n- two')).toBe('<ul>\n<li>item </li>\n<li>two</li>\n</ul>\n');
  });
  test('raw HTML the app keeps is rendered, without handlers, unsafe links or unbalanced tags', () => {
    expect(renderMarkdown('a <b onclick="x()">bold</b> H<sub>2</sub>O <a href="javascript:x()">y</a>')).toBe('<p>a <b>bold</b> H<sub>2</sub>O <a>y</a></p>\n');
    // a note cannot close the report's own markup, nor leave its own open
    expect(renderMarkdown('</div></section>\n\n<div>\nopen')).toBe('<div>\nopen</div>');
    expect(renderMarkdown('<style>body { display: none }</style>\n\nok')).toBe('<p>ok</p>\n');
    // MathML and SVG text stays, as the notebook shows it (it vanished: "Energy: done")
    expect(renderMarkdown('Energy: <math><mi>E</mi><mo>=</mo><mi>mc</mi><msup><mn>2</mn></msup></math> done')).toBe('<p>Energy: E=mc2 done</p>\n');
    expect(renderMarkdown('a <svg><text>label</text><script>x()</script></svg> b')).toBe('<p>a label b</p>\n');
    // a script ends where a browser ends it, and the rest of the note stays
    expect(renderMarkdown('x <script>y()</script foo>after')).toBe('<p>x after</p>\n');
    expect(renderMarkdown('x <script>y()</script/>after')).toBe('<p>x after</p>\n');
  });
  test('javascript: and data: links lose their href; http links keep it', () => {
    const html = renderMarkdown('[a](javascript:alert(1)) [b](data:text/html,x) [c](https://example.org/x) ![i](https://evil.example/p.png)');
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).toContain('href="https://example.org/x"');
    expect(html).not.toMatch(/<img/i);
  });
  test('ordinary markdown renders', () => {
    expect(renderMarkdown('# T\n\n**b** `c`\n\n| a | b |\n|---|---|\n| 1 | 2 |')).toMatch(/<h1>T<\/h1>[\s\S]*<strong>b<\/strong>[\s\S]*<table>/);
  });
});

describe('report HTML', () => {
  let f: Fixture;
  let html: string;
  beforeAll(async () => {
    f = makeFixture({ bigPlotPoints: 12000 });
    html = await buildReportHtml(f.service, f.notebookId);
  });
  afterAll(() => f.cleanup());

  test('is self-contained and has no script', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]+\son(error|load|click)\s*=/i);
    expect(html).not.toMatch(/<(img|iframe|link|object|embed)\b/i);
    expect(html).not.toMatch(/(src|href)="(?!https:\/\/example\.org|#)[^"]*"/i);
    expect(html).toContain("Content-Security-Policy");
  });

  test('shows the paper, simulated and imported values', () => {
    for (const v of ['721.1', '535.9', '14.5', '8.7', '23.2', '2.55', '4.71', '6090', '5036']) expect(html).toContain(`>${v}<`);
    expect(html).toContain(String(IMPORTED_THROUGHPUT));
    expect(html).toContain('sim-test-1');
  });

  test('charts are inline SVG and the big series is decimated and says so', () => {
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(html).toContain('12,000 points drawn as');
    const m = buildReportModel(f.service.db, f.notebookId);
    expect(m.figures.map((x) => x.number)).toEqual(m.figures.map((_, i) => i + 1));
  });

  test('a flush_every_polls sweep figure carries the paper\'s LRO and DA at k = 1 and 2, as the notebook draws them', () => {
    const m = buildReportModel(f.service.db, f.notebookId);
    const fig = m.figures.find((x) => x.spec.type === 'line' && x.title === 'LRO: Throughput (Mbit/s)');
    expect(fig?.caption).toContain('Series “Paper”: paper LRO (k = 1), paper DA (k = 2).');
    expect(fig?.data.rows.filter((r) => r[0] === 'Paper')).toEqual([['Paper', 1, 577.2, null, null], ['Paper', 2, 747.5, null, null]]);
  });

  test('a Compare cell\'s fit to the measurements is reported cell by cell, with the saved set\'s name', () => {
    expect(html).toContain('Model fitted to these measurements: parameter set “lab-fit” (130 evaluations)');
    expect(html).toContain('>880.5<');
  });

  test('configuration is printed as "key: value" lines, not a JSON block under a disclosure arrow, and omitted on request', async () => {
    expect(html).toContain('<div class="config"><div class="config-head">Configuration</div><div class="kv"><span class="k">system:</span> LRO</div>');
    expect(html).toContain('<span class="k">vary:</span> flush_every_polls 1..4 step 1');
    expect(html).toContain('<span class="k">set.<wbr>flush_<wbr>policy:</span> every-k');
    expect(html).not.toMatch(/<details|<summary/);
    const lines = [...html.matchAll(/<div class="kv">(.*?)<\/div>/g)].map((m) => m[1]);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).not.toMatch(/[{}[\]]|&quot;\w/);
    const bare = await buildReportHtml(f.service, f.notebookId, { omitConfig: true });
    expect(bare).not.toContain('class="config"');
  });

  test('Appendix D: the knobs that differ between the sets side by side, the others once, every value of every set there', () => {
    const appendix = html.slice(html.indexOf('Appendix D. Parameter sets'));
    expect(appendix).not.toMatch(/<pre/);
    // the sets' columns, over every table of them (a table holds at most SETS_PER_TABLE sets)
    const columns = new Map<string, Map<string, string>>();
    const tables = [...appendix.matchAll(/<table class="params-diff[^"]*"><caption>[^<]*<\/caption><thead><tr><th>Knob<\/th>((?:<th>P\d+<\/th>)+)<\/tr><\/thead><tbody>(.*?)<\/tbody>/g)];
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      const labels = [...(t[1] ?? '').matchAll(/<th>(P\d+)<\/th>/g)].map((m) => m[1] ?? '');
      expect(labels.length).toBeLessThanOrEqual(SETS_PER_TABLE);
      for (const row of (t[2] ?? '').matchAll(/<tr><td class="knob">([^<]*)<\/td>((?:<td class="knob-value">[^<]*<\/td>)+)<\/tr>/g)) {
        const values = [...(row[2] ?? '').matchAll(/<td class="knob-value">([^<]*)<\/td>/g)].map((v) => v[1] ?? '');
        labels.forEach((l, i) => columns.set(l, (columns.get(l) ?? new Map()).set(row[1] ?? '', values[i] ?? '')));
      }
    }
    const labels = [...columns.keys()];
    expect(labels).toEqual(labels.map((_l, i) => `P${i + 1}`));
    const differing = new Set([...columns.values()].flatMap((c) => [...c.keys()]));
    expect(differing).toContain('flush_every_polls');
    const common = new Map([...appendix.matchAll(/<div class="kv"><span class="k">([^<]*):<\/span> ([^<]*)<\/div>/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    // provenance stays complete: each set's every knob, at its value, is in its column or in the common list
    const text = (v: unknown): string => esc(typeof v === 'string' ? v : JSON.stringify(v));
    const shown = [...buildReportModel(f.service.db, f.notebookId).runs.values()].filter((r) => r.kind === 'simulated');
    const sets = [...new Set(shown.map((r) => JSON.stringify(r.provenance.parameters)))].map((j) => JSON.parse(j) as Record<string, unknown>);
    expect(sets).toHaveLength(labels.length);
    for (const set of sets) {
      const column = [...columns.values()].find((c) => [...differing].every((k) => c.get(k) === (k in set ? text(set[k]) : '–')));
      expect(column).toBeDefined();
      for (const [k, v] of Object.entries(set)) if (!differing.has(k)) expect(common.get(k)).toBe(text(v));
    }
    expect(html).toMatch(/<td>P1<\/td><\/tr>/);
  });

  test('Appendix D lists only simulated runs\' parameters; a measured run\'s provenance names no set', () => {
    const appendix = html.slice(html.indexOf('Appendix D. Parameter sets'));
    expect(appendix).toContain('class="params-common"');
    expect(appendix).not.toMatch(/<span class="k">(format|index|tool):<\/span>/);
    const measured = new RegExp(`<tr><td>${f.measuredRunIds[0]}</td><td>measured</td>.*?</tr>`).exec(html)?.[0];
    expect(measured).toMatch(/<td>–<\/td><\/tr>$/);
  });

  test('the simulated means carry their 95 % Student-t interval and n, one row per system as the app shows them; the export keeps them as numbers', () => {
    const m = buildReportModel(f.service.db, f.notebookId);
    const table = m.sections.flatMap((x) => x.blocks).flatMap((b) => (b.type === 'table' && b.table.id.endsWith('-summary') ? [b.table] : []))[0];
    const xen = table?.rows.find((r) => r[0] === 'Xen');
    const runs = getRuns(f.service.db, f.simRunIds).filter((r) => r.system === 'Xen');
    const s = summarize(runs.filter((r) => r.workload === 'stream').map((r) => r.metrics['throughput_mbps'] ?? NaN));
    const rr = summarize(runs.filter((r) => r.workload === 'rr').map((r) => r.metrics['rr_transactions_per_s'] ?? NaN));
    expect(table?.columns.slice(0, 3)).toEqual(['System', 'n', 'Throughput (Mbit/s)']);
    // the stream figures from the stream runs and the transaction rate from the TCP_RR runs, in one row
    expect(table?.rows.map((r) => r[0])).not.toContain('Xen TCP_RR');
    expect(xen?.slice(0, 3)).toEqual(['Xen', 3, s && intervalText(s)]);
    expect(xen?.[table?.columns.indexOf('TCP_RR (trans./s)') ?? -1]).toBe(rr && intervalText(rr));
    expect(xen?.[2]).toMatch(/^\d+(\.\d+)? ± \d+(\.\d+)?$/);
    expect(html).toMatch(/<td class="label">Xen<\/td><td class="n">3<\/td><td class="n">\d+(\.\d+)? ± [\d.]+<\/td>/);
    const csv = (tableExport(f.service.db, f.notebookId, table?.id ?? '', 'csv') ?? '').split('\r\n');
    expect(csv[0]?.split(',').slice(0, 5)).toEqual(['System', 'n', 'Throughput (Mbit/s) mean', 'Throughput (Mbit/s) ± 95 % CI', 'Throughput (Mbit/s) n']);
    const row = csv.find((l) => l.startsWith('Xen,'))?.split(',');
    expect(row?.slice(1, 5).map(Number)).toEqual([3, s?.mean, s?.halfWidth, 3]);
  });

  test('an unexpected output shape does not break the report', () => {
    expect(html).toContain('Nothing to plot');
  });
});
