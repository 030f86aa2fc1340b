import { Marked, type Tokens } from 'marked';
import { esc } from './escape.js';
import { safeHref, sanitizeHtml } from './sanitize-html.js';

/**
 * Markdown for the report, rendered as the app renders a Markdown cell (marked with GFM, then
 * sanitised), so a note prints what the notebook shows: raw HTML the app keeps (<b>, <sup>, …) renders,
 * what the app's DOMPurify removes (<script> and its text, <iframe>, on* handlers, javascript: links)
 * is gone, not printed as literal text. See sanitize-html.ts. Images become links (an <img> would be an
 * external fetch inside the print engine). The report page also carries a CSP with no script.
 */
const md = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      if (!href) return text;
      return `<a href="${esc(href)}"${token.title ? ` title="${esc(token.title)}"` : ''}>${text}</a>`;
    },
    image(token: Tokens.Image): string {
      const href = safeHref(token.href);
      const alt = esc(token.text || 'image');
      return href ? `<a href="${esc(href)}">[image: ${alt}]</a>` : `[image: ${alt}]`;
    },
  },
});

export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.parse(source, { async: false }));
}
