import { Marked, type Tokens } from 'marked';
import { esc } from './escape.js';

/**
 * Markdown for the report, safe without a DOM. DOMPurify needs a window (and jsdom is not installed), so
 * instead of sanitising HTML after the fact we never let raw HTML through: marked's `html` tokens are
 * escaped to text, link targets are limited to http(s)/mailto/#anchors, and images become links (an <img>
 * would be an external fetch inside the print engine). The report page also carries a CSP with no script.
 */
const SAFE_URL = /^(https?:|mailto:|#)/i;

function safeHref(href: string): string | null {
  const h = href.trim();
  return SAFE_URL.test(h) ? h : null;
}

const md = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return esc(token.text);
    },
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
  return md.parse(source, { async: false });
}
