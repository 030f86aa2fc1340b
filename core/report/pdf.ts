import { esc } from './escape.js';
import { withPage } from './chromium.js';

export interface PdfResult {
  pdf: Buffer;
  /** e.g. "Chromium 156.0.8078.108", for the log. */
  engine: string;
}

/**
 * Page setup shared by both print engines, so Chromium (browser mode, CLI) and Electron's printToPDF
 * give the same pages: A4, these margins, the title and "page N of M" in the footer.
 */
export const PAGE_MARGINS_MM = { top: 14, bottom: 16, left: 12, right: 12 };

export function footerTemplate(title: string): string {
  return `<div style="font-size:7.5px;width:100%;padding:0 12mm;color:#666;display:flex;justify-content:space-between;font-family:Arial,sans-serif"><span style="overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0;margin-right:8px">${esc(title)}</span><span style="white-space:nowrap;flex:none">page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

/** Options for Electron's webContents.printToPDF (margins there are in inches). */
export function electronPrintOptions(title: string): Record<string, unknown> {
  const inch = (mm: number): number => mm / 25.4;
  return {
    pageSize: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate: footerTemplate(title),
    margins: { top: inch(PAGE_MARGINS_MM.top), bottom: inch(PAGE_MARGINS_MM.bottom), left: inch(PAGE_MARGINS_MM.left), right: inch(PAGE_MARGINS_MM.right) },
  };
}

/** Prints the report HTML to an A4 PDF with page numbers in the footer. */
export async function htmlToPdf(html: string, title: string): Promise<PdfResult> {
  return withPage(async (page, browser) => {
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const mm = (v: number): string => `${v}mm`;
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(title),
      margin: { top: mm(PAGE_MARGINS_MM.top), bottom: mm(PAGE_MARGINS_MM.bottom), left: mm(PAGE_MARGINS_MM.left), right: mm(PAGE_MARGINS_MM.right) },
    });
    return { pdf, engine: `Chromium ${browser.version()}` };
  });
}

/** A chart as PNG: the SVG rasterised by Chromium at 2× (SVG stays the vector export). */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  const width = Math.ceil(Number(m?.[1] ?? 640));
  const height = Math.ceil(Number(m?.[2] ?? 320));
  return withPage(
    async (page) => {
      await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
      const el = await page.$('svg');
      if (!el) throw new Error('chart SVG did not render');
      return el.screenshot({ type: 'png' });
    },
    { viewport: { width, height }, deviceScaleFactor: scale },
  );
}
