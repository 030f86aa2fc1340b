/**
 * Run and file ids written as the Compare cell's "Stored runs" field reads them ("12, 20-25"): sorted,
 * repeats once, consecutive ids as a range. Pure and dependency-free, like csv.ts, because the notebook
 * (the stored-runs browser) and `rxlab runs --ids` both write them.
 */
export function compactIds(ids: readonly number[]): string {
  const s = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === (s[j] as number) + 1) j++;
    parts.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** An id list that cannot be read: its message names the field and the piece that is wrong. */
export class IdListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdListError';
  }
}

/**
 * Ids as typed ("12, 14, 20-25", commas or spaces between them): each once, in the order given, at most
 * `max`. The notebook's id fields and `rxlab runs --show` read them; `what` names the field in errors.
 */
export function parseIds(text: unknown, what: string, max: number): number[] {
  const s = typeof text === 'string' ? text.trim() : '';
  if (s === '') return [];
  const out: number[] = [];
  for (const part of s.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new IdListError(`${what}: "${part}" is not an id or a range like 20-25`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b < a) throw new IdListError(`${what}: "${part}" is not an id or a rising range`);
    if (out.length + (b - a + 1) > max) throw new IdListError(`${what}: more than ${max} ids`);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return [...new Set(out)];
}
