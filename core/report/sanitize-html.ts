import { esc } from './escape.js';

/**
 * The report's sanitiser for rendered markdown, doing without a DOM what the app's DOMPurify does
 * (renderer/src/cells/MarkdownCell.svelte: marked, then DOMPurify.sanitize with its defaults), so a
 * note prints as the notebook shows it: <b>, <sup>, tables … render; <script>, <iframe> and the like
 * vanish with their content; other unknown tags vanish and leave their text; on* handlers and
 * javascript: URLs go. DOMPurify needs a window and jsdom is not a dependency, hence this.
 *
 * Safe by construction rather than by parsing HTML exactly: every tag in the output is written here
 * from an allow-list, with escaped attribute values; every other "<" is escaped to text; open tags
 * are closed in order, so a note cannot close or swallow the report's own markup.
 *
 * Where print differs from the screen on purpose: an <img> becomes "[image: alt]" (a link when its
 * source is http(s)), as markdown images do in the report, since the print engine fetches nothing;
 * <style> goes with its content, as its CSS would restyle the whole report; style/class attributes go.
 */

/**
 * DOMPurify's default FORBID_CONTENTS among tags it does not allow, plus <style> (see above). <svg>
 * and <math> are not here: DOMPurify keeps them, so the notebook shows their text ("E=mc²"); on
 * paper their tags go (not in ALLOWED) and the text stays. <audio>/<video> likewise keep their
 * fallback text, which the notebook shows.
 */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'noscript', 'noembed', 'noframes', 'template', 'title', 'xmp', 'plaintext', 'head']);

/** Tags printed as they are: DOMPurify's default HTML tags that mean something on paper. */
const ALLOWED = new Set(
  (
    'a abbr acronym address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del details dfn div dl dt em ' +
    'figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr i input ins kbd li main mark nav ol p pre q rp rt ruby s samp section small ' +
    'span strike strong sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr'
  ).split(' '),
);

const VOID = new Set(['br', 'col', 'hr', 'input', 'wbr', 'img']);

/** Attributes kept, by tag ('*': any allowed tag). Everything else (on*, style, class, src …) is dropped. */
const ATTRS: Record<string, Set<string>> = {
  '*': new Set(['title', 'lang', 'dir']),
  a: new Set(['href']),
  td: new Set(['colspan', 'rowspan', 'align']),
  th: new Set(['colspan', 'rowspan', 'align']),
  col: new Set(['span']),
  colgroup: new Set(['span']),
  ol: new Set(['start', 'type', 'reversed']),
  li: new Set(['value']),
  details: new Set(['open']),
  time: new Set(['datetime']),
  // GFM task lists: <input type="checkbox" checked disabled>
  input: new Set(['type', 'checked', 'disabled']),
};

const SAFE_URL = /^(https?:|mailto:|#)/i;

/** A link target the report keeps: http(s), mailto and in-page anchors (after entity decoding, as a browser reads it). */
export function safeHref(href: string): string | null {
  const h = decodeEntities(href).trim();
  return SAFE_URL.test(h) ? h : null;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The entities a value is most likely to carry; others stay as written (and print literally). */
function decodeEntities(v: string): string {
  return v.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

// A comment, a <!…>/<?…> declaration, or a start/end tag. Attributes are separated by whitespace, so
// the pattern cannot split one name many ways (no catastrophic backtracking on a malformed tag).
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<[!?][^>]*>?|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attributes(tag: string, raw: string): string {
  const out: string[] = [];
  for (const m of raw.matchAll(ATTR)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!(ATTRS['*']?.has(name) || ATTRS[tag]?.has(name))) continue;
    const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
    if (name === 'href') {
      const href = safeHref(value);
      if (href !== null) out.push(` href="${esc(href)}"`);
    } else if (tag === 'input' && name === 'type') {
      if (value.toLowerCase() === 'checkbox') out.push(' type="checkbox"');
    } else out.push(m[2] === undefined && m[3] === undefined && m[4] === undefined ? ` ${name}` : ` ${name}="${esc(value)}"`);
  }
  return out.join('');
}

/** An <img> on paper: its alt text, linked to its source when that is http(s). */
function imageText(raw: string): string {
  let alt = '';
  let src = '';
  for (const m of raw.matchAll(ATTR)) {
    const name = (m[1] ?? '').toLowerCase();
    const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
    if (name === 'alt') alt = value;
    if (name === 'src') src = value;
  }
  const text = `[image: ${esc(alt || 'image')}]`;
  const href = safeHref(src);
  return href && !href.startsWith('#') && !href.startsWith('mailto:') ? `<a href="${esc(href)}">${text}</a>` : text;
}

/** Where the content of a dropped element ends: after its end tag, or the end of the input (as a browser reads it). */
function endOf(html: string, tag: string, from: number): number {
  if (tag === 'plaintext') return html.length;
  // as an HTML parser ends it: "</script" then whitespace, "/" or ">", then anything up to ">"
  // ("</script foo>" and "</script/>" end it too; waiting for "</script>" ate the rest of the note)
  const close = new RegExp(`</${tag}(?=[\\s/>])[^>]*>`, 'ig');
  close.lastIndex = from;
  const m = close.exec(html);
  return m ? m.index + m[0].length : html.length;
}

const text = (s: string): string => s.replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function sanitizeHtml(html: string): string {
  const out: string[] = [];
  const open: string[] = [];
  const openCount = new Map<string, number>();
  const re = new RegExp(TOKEN.source, 'g');
  let at = 0;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    out.push(text(html.slice(at, m.index)));
    at = re.lastIndex;
    const name = m[2]?.toLowerCase();
    if (name === undefined) continue; // a comment or declaration: nothing to print
    const closing = m[1] === '/';
    if (!closing && DROP_WITH_CONTENT.has(name)) {
      at = endOf(html, name, re.lastIndex);
      re.lastIndex = at;
    } else if (name === 'img') {
      if (!closing) out.push(imageText(m[3] ?? ''));
    } else if (!ALLOWED.has(name)) {
      // an unknown or unsafe element (form, button, object, …) is left out; its text stays
    } else if (!closing) {
      out.push(`<${name}${attributes(name, m[3] ?? '')}>`);
      if (!VOID.has(name)) {
        open.push(name);
        openCount.set(name, (openCount.get(name) ?? 0) + 1);
      }
    } else if ((openCount.get(name) ?? 0) > 0) {
      // closes what is open inside it too, so every end tag printed matches a start tag printed
      // (counted per name: searching the open list for each end tag made a long note quadratic, 32 s for 1.5 MB)
      while (open.length) {
        const t = open.pop() as string;
        openCount.set(t, (openCount.get(t) ?? 1) - 1);
        out.push(`</${t}>`);
        if (t === name) break;
      }
    }
  }
  out.push(text(html.slice(at)));
  while (open.length) out.push(`</${open.pop() ?? ''}>`);
  return out.join('');
}
