import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildReportHtml } from './build.js';
import { renderMarkdown } from './markdown.js';
import { makeFixture, XSS, IMPORTED_THROUGHPUT, type Fixture } from './test-fixture.js';
import { buildReportModel } from './model.js';

describe('markdown', () => {
  test('raw HTML is escaped, not rendered', () => {
    const html = renderMarkdown(XSS);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).toContain('&lt;script&gt;');
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
    const fig = m.figures.find((x) => x.spec.type === 'line' && x.title.startsWith('throughput_mbps vs flush_every_polls'));
    expect(fig?.caption).toContain('Series “Paper”: paper LRO (k = 1), paper DA (k = 2).');
    expect(fig?.data.rows.filter((r) => r[0] === 'Paper')).toEqual([['Paper', 1, 577.2, null, null], ['Paper', 2, 747.5, null, null]]);
  });

  test('a Compare cell\'s fit to the measurements is reported cell by cell, with the saved set\'s name', () => {
    expect(html).toContain('Model fitted to these measurements: parameter set “lab-fit” (130 evaluations)');
    expect(html).toContain('>880.5<');
  });

  test('configuration is printed (open: a closed <details> prints only its summary) and omitted on request', async () => {
    expect(html).toContain('<details class="config" open><summary>Configuration</summary><pre>');
    const bare = await buildReportHtml(f.service, f.notebookId, { omitConfig: true });
    expect(bare).not.toContain('class="config"');
  });

  test('each distinct parameter set is printed once (Appendix D), and the provenance tables name it', () => {
    const sets = [...html.matchAll(/<h3>(P\d+)<\/h3><pre class="params">([^<]*)<\/pre>/g)];
    expect(sets.length).toBeGreaterThan(1);
    expect(sets.map((m) => m[1])).toEqual(sets.map((_m, i) => `P${i + 1}`));
    for (const [, , json] of sets) expect(html.split(json!).length - 1).toBe(1);
    expect(html).toMatch(/<td>P1<\/td><\/tr>/);
  });

  test('an unexpected output shape does not break the report', () => {
    expect(html).toContain('Nothing to plot');
  });
});
