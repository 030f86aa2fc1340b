import { esc } from './escape.js';
import { withPage } from './chromium.js';

export interface PdfResult {
  pdf: Buffer;
  /** e.g. "Chromium 156.0.8078.108", for the log. */
  engine: string;
}

/** Prints the report HTML to an A4 PDF with page numbers in the footer. */
export async function htmlToPdf(html: string, title: string): Promise<PdfResult> {
  return withPage(async (page, browser) => {
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:7.5px;width:100%;padding:0 14mm;color:#666;display:flex;justify-content:space-between;font-family:Arial,sans-serif"><span>${esc(title)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
    return { pdf, engine: `Chromium ${browser.version()}` };
  });
}

/** A chart as PNG: the SVG rasterised by Chromium at 2× (SVG stays the vector export). */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  const width = Math.ceil(Number(m?.[1] ?? 640));
  const height = Math.ceil(Number(m?.[2] ?? 320));
  return withPage(async (page) => {
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    const el = await page.$('svg');
    if (!el) throw new Error('chart SVG did not render');
    return el.screenshot({ type: 'png' });
  }, { viewport: { width, height }, deviceScaleFactor: scale });
}
