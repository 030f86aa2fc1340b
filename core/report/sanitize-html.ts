import { esc } from './escape.js';

/**
 * The report's sanitiser for rendered markdown, doing without a DOM what the app's DOMPurify does
 * (renderer/src/cells/MarkdownCell.svelte: marked, then DOMPurify.sanitize with its defaults), so a
 * note prints as the notebook shows it: <b>, <sup>, tables … render; <script>, <iframe> and the like
 * vanish with their content; other unknown tags vanish and leave their text; on* handlers and
 * javascript: URLs go. DOMPurify needs a window and jsdom is not a dependency, hence this.
 *
 * Safe by construction: every tag in the output is written here from an allow-list, with escaped
 * attribute values; every other "<" is escaped to text; every element written is closed by an end tag
 * written here, innermost first; and the tags are written so that a browser's HTML parser builds the
 * tree they spell, so a note cannot close or swallow the report's own markup. That last part takes the
 * parser's own rules for the allowed tags (see Writer): a list of tags closed in order is not enough, as
 * the parser also ends elements by itself (a <div> ends an open <p>, an <li> the open <li>, a heading a
 * heading; <li><div><li> ends the <div>, and the </div> written for it then closed the report's <div>).
 * Where the parser would end an element, its end tag is written first; a table part goes only where
 * the parser puts it, with the <tbody>, <tr> or <colgroup> it would add; an end tag the parser would
 * ignore is dropped. sanitize-html.test.ts checks this in Chromium on 2,000 random tag soups.
 *
 * Where print differs from the screen on purpose: an <img> becomes "[image: alt]" (a link when its
 * source is http(s)), as markdown images do in the report, since the print engine fetches nothing;
 * <style> goes with its content, as its CSS would restyle the whole report; style/class attributes go.
 * Where it differs in malformed HTML, for simplicity: a <b> … that a block ended stays ended (a browser
 * reopens it inside the next block), a misnested </b> ends the block inside it too (a browser moves the
 * block out of the <b>), and other tags directly inside a table go, leaving their text in front of
 * the table (a browser moves the whole element there).
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

/** An <img> on paper: its alt text, and its source when that is http(s) (the caller links the text to it). */
function imageParts(raw: string): { text: string; href: string | null } {
  let alt = '';
  let src = '';
  for (const m of raw.matchAll(ATTR)) {
    const name = (m[1] ?? '').toLowerCase();
    const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
    if (name === 'alt') alt = value;
    if (name === 'src') src = value;
  }
  const href = safeHref(src);
  return { text: `[image: ${alt || 'image'}]`, href: href && !href.startsWith('#') && !href.startsWith('mailto:') ? href : null };
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

// The HTML parser's tree-construction rules (WHATWG HTML, "in body" and the table insertion modes), for
// the allowed tags only: the output must nest as written when a browser parses it, or an end tag written
// for an element the parser had already closed by itself closes the report's own <div> instead.
const words = (s: string): Set<string> => new Set(s.split(' '));
const HEADING = words('h1 h2 h3 h4 h5 h6');
/** Start tags before which the parser closes an open <p>. */
const CLOSES_P = words('address article aside blockquote center details div dl figcaption figure footer header hgroup main nav ol p section summary ul h1 h2 h3 h4 h5 h6 pre li dd dt table hr');
/**
 * End tags that close their element only when it is in scope (the rest: unless a special element is open
 * inside it). For a, b … with a block open inside, the parser's "adoption agency" would move the block
 * out of the element and keep it open; here the block's end tag is written first, leaving it nothing to move.
 */
const SCOPED_END = words('address article aside blockquote center details div dl figcaption figure footer header hgroup main nav ol pre section summary ul dd dt p a b big code em i s small strike strong tt u');
const SPECIAL = words('address article aside blockquote caption center colgroup dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup li main nav ol p pre section summary table tbody td tfoot th thead tr ul');
/** What the parser's "generate implied end tags" closes. */
const IMPLIED_END = words('dd dt li p rp rt');
const TABLE_PART = words('caption col colgroup tbody thead tfoot tr td th');
const SECTION = words('tbody thead tfoot');
/** Open table parts where the parser moves text and other elements in front of the table ("foster parenting"). */
const IN_TABLE = words('table tbody thead tfoot tr colgroup');

/** Under which keys an open element is indexed: its name and the parser's categories it belongs to. */
const KEYS = new Map<string, string[]>();
for (const name of ALLOWED) {
  const keys = [name];
  // where a search for an element "in scope" stops (also at <html>, i.e. outside the note)
  if (name === 'caption' || name === 'table' || name === 'td' || name === 'th') keys.push(':scope', ':list-scope');
  if (name === 'ol' || name === 'ul') keys.push(':list-scope');
  if (SPECIAL.has(name)) keys.push(':special');
  // where the parser stops looking for an <li>/<dd>/<dt> to close when another opens
  if (SPECIAL.has(name) && name !== 'address' && name !== 'div' && name !== 'p') keys.push(':list-stop');
  if (HEADING.has(name)) keys.push(':heading');
  if (name === 'table' || TABLE_PART.has(name)) keys.push(':table');
  KEYS.set(name, keys);
}

/**
 * The output and the elements open in it. Every question the parser's rules ask ("is a <p> in scope?",
 * "which <li> would this close?") is the comparison of two innermost positions, kept per key, so a
 * note costs time linear in its length (searching the open list per tag made a 1.5 MB note take 32 s).
 */
class Writer {
  private readonly out: string[] = [];
  private readonly open: string[] = [];
  private readonly at = new Map<string, number[]>();
  /** Per open table, the place in `out` just before it, where text found directly in it goes. */
  private readonly fosterSlots: number[] = [];
  /** Text since the last tag, held until the next one: whether a table keeps it depends on all of it. */
  private pending = '';

  private top(key: string): number {
    const s = this.at.get(key);
    return s?.[s.length - 1] ?? -1;
  }

  private current(): string {
    return this.open[this.open.length - 1] ?? '';
  }

  text(escaped: string): void {
    this.pending += escaped;
  }

  private flush(): void {
    const t = this.pending;
    if (!t) return;
    this.pending = '';
    const slot = this.fosterSlots[this.fosterSlots.length - 1];
    // in a table, row or column group the parser keeps whitespace and moves any other text in front of the
    // table; writing it there keeps the tree as written
    if (slot !== undefined && IN_TABLE.has(this.open[this.top(':table')] ?? '') && /[^\t\n\f\r ]/.test(t)) this.out[slot] += t;
    else this.out.push(t);
  }

  private push(name: string, attrs = ''): void {
    this.flush();
    if (name === 'table') {
      this.fosterSlots.push(this.out.length);
      this.out.push('');
    }
    this.out.push(`<${name}${attrs}>`);
    if (VOID.has(name)) return;
    for (const k of KEYS.get(name) ?? [name]) {
      const s = this.at.get(k);
      if (s) s.push(this.open.length);
      else this.at.set(k, [this.open.length]);
    }
    this.open.push(name);
  }

  /** Writes the end tags of the open elements down to and including the one at `i`, innermost first. */
  private popTo(i: number): void {
    this.flush();
    while (this.open.length > i) {
      const name = this.open.pop() as string;
      for (const k of KEYS.get(name) ?? [name]) this.at.get(k)?.pop();
      if (name === 'table') this.fosterSlots.pop();
      this.out.push(`</${name}>`);
    }
  }

  start(name: string, attrs: string): void {
    // Table parts go only where the parser puts them, with the <tbody>, <tr>, <colgroup> it would add
    // written out, and close the cell, row or caption they would close. Other tags directly in a table,
    // section or row go (the parser would move the element in front of the table; its text goes there).
    for (;;) {
      const c = this.top(':table');
      const ctx = this.open[c] ?? '';
      if (ctx === '' || ctx === 'td' || ctx === 'th' || ctx === 'caption') {
        if (!TABLE_PART.has(name)) break;
        if (ctx === '') return; // a <td> … outside a table: the parser ignores it
        this.popTo(c);
      } else if (!TABLE_PART.has(name) && name !== 'table') {
        return;
      } else if (ctx === 'table') {
        if (name === 'table') this.popTo(c); // a table directly in a table ends it
        else if (name === 'col') this.push('colgroup');
        else if (name === 'tr' || name === 'td' || name === 'th') this.push('tbody');
        else return this.push(name, attrs);
      } else if (ctx === 'colgroup') {
        if (name === 'col') return this.push(name, attrs);
        this.popTo(c);
      } else if (ctx === 'tr') {
        if (name === 'td' || name === 'th') return this.push(name, attrs);
        this.popTo(c);
      } else {
        // tbody, thead, tfoot
        if (name === 'tr') return this.push(name, attrs);
        if (name === 'td' || name === 'th') this.push('tr');
        else this.popTo(c);
      }
    }
    // "in body": end what the parser would end before this element opens
    if (name === 'li' || name === 'dd' || name === 'dt') {
      const s = this.top(':list-stop');
      const t = this.open[s];
      if (t === name || (name !== 'li' && (t === 'dd' || t === 'dt'))) this.popTo(s);
    } else if (name === 'a') {
      const a = this.top('a');
      if (a > this.top(':scope')) this.popTo(a); // a link in a link ends the first
    } else if ((name === 'rp' || name === 'rt') && this.top('ruby') > this.top(':scope')) {
      while (IMPLIED_END.has(this.current())) this.popTo(this.open.length - 1);
    }
    if (CLOSES_P.has(name) && this.top('p') > this.top(':scope')) this.popTo(this.top('p'));
    if (HEADING.has(name) && HEADING.has(this.current())) this.popTo(this.open.length - 1);
    this.push(name, attrs);
  }

  /** An end tag closes what the parser would close with it; one the parser would ignore is dropped. */
  end(name: string): void {
    // the parser reads </br> as <br>, and </p> with no <p> to end as <p></p>
    if (name === 'br' || (name === 'p' && this.top('p') <= this.top(':scope'))) {
      this.start(name, '');
      if (name === 'p' && this.current() === 'p') this.popTo(this.open.length - 1);
      return;
    }
    const c = this.top(':table');
    const ctx = this.open[c] ?? '';
    const table = this.top('table');
    let i = -1;
    if (name === 'table') i = table;
    else if (SECTION.has(name) || name === 'tr') {
      // from a cell or row the parser ends what is in between; from a caption or column group it ignores it
      const reaches = ctx === 'tr' || ctx === 'td' || ctx === 'th' || (name !== 'tr' && SECTION.has(ctx));
      if (reaches && this.top(name) > table) i = this.top(name);
    } else if (TABLE_PART.has(name)) i = ctx === name ? c : -1;
    else if (IN_TABLE.has(ctx)) i = -1; // nothing but table parts is open inside the table
    else if (name === 'li') i = this.top('li') > this.top(':list-scope') ? this.top('li') : -1;
    else if (HEADING.has(name)) i = this.top(':heading') > this.top(':scope') ? this.top(':heading') : -1; // any heading ends any
    else if (SCOPED_END.has(name)) i = this.top(name) > this.top(':scope') ? this.top(name) : -1;
    else i = this.top(name) > this.top(':special') ? this.top(name) : -1;
    if (i >= 0) this.popTo(i);
  }

  /** An <img>: its text, linked to its source unless it is already inside a link (a link would end that one). */
  image(img: { text: string; href: string | null }): void {
    if (img.href === null || this.top('a') > this.top(':scope')) return this.text(esc(img.text));
    this.start('a', ` href="${esc(img.href)}"`);
    this.text(esc(img.text));
    this.end('a');
  }

  finish(): string {
    this.popTo(0);
    return this.out.join('');
  }
}

export function sanitizeHtml(html: string): string {
  const w = new Writer();
  const re = new RegExp(TOKEN.source, 'g');
  let at = 0;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    w.text(text(html.slice(at, m.index)));
    at = re.lastIndex;
    const name = m[2]?.toLowerCase();
    if (name === undefined) continue; // a comment or declaration: nothing to print
    const closing = m[1] === '/';
    if (!closing && DROP_WITH_CONTENT.has(name)) {
      at = endOf(html, name, re.lastIndex);
      re.lastIndex = at;
    } else if (name === 'img') {
      if (!closing) w.image(imageParts(m[3] ?? ''));
    } else if (!ALLOWED.has(name)) {
      // an unknown or unsafe element (form, button, object, …) is left out; its text stays
    } else if (!closing) {
      w.start(name, attributes(name, m[3] ?? ''));
    } else {
      w.end(name);
    }
  }
  w.text(text(html.slice(at)));
  return w.finish();
}
