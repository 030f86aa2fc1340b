/**
 * The JSON text of an ImportDoc whose runs are kept outside it (a StreamedImport), produced piece
 * by piece so a document of hundreds of MB never exists as one string. The text is exactly
 * JSON.stringify({...doc, records: [...records]}) (or its `null, 2` indented form): keys in the
 * document's order, each value printed by JSON.stringify itself.
 */

/** Pieces are joined up to about this many characters before they are handed on. */
const PIECE_CHARS = 1 << 20;

export function* docJsonPieces(doc: object, records: Iterable<unknown>, pretty: boolean): Generator<string> {
  let out = '{';
  let first = true;
  for (const [key, value] of Object.entries(doc)) {
    // JSON.stringify leaves out keys whose value it cannot print.
    if (key !== 'records' && (value === undefined || typeof value === 'function' || typeof value === 'symbol')) continue;
    out += (first ? '' : ',') + (pretty ? '\n  ' : '') + JSON.stringify(key) + (pretty ? ': ' : ':');
    first = false;
    if (key !== 'records') {
      out += pretty ? indent(JSON.stringify(value, null, 2), '  ') : JSON.stringify(value);
      continue;
    }
    out += '[';
    let n = 0;
    for (const r of records) {
      out += (n++ === 0 ? '' : ',') + (pretty ? '\n    ' + indent(JSON.stringify(r, null, 2), '    ') : JSON.stringify(r));
      if (out.length >= PIECE_CHARS) {
        yield out;
        out = '';
      }
    }
    out += n > 0 && pretty ? '\n  ]' : ']';
  }
  out += pretty && !first ? '\n}' : '}';
  yield out;
}

/** JSON.stringify output has no raw newline inside strings, so every "\n" starts a line. */
function indent(json: string, by: string): string {
  return json.includes('\n') ? json.replace(/\n/g, '\n' + by) : json;
}
