/**
 * A cell's configuration as the report prints it: "key: value" lines, nested objects as dotted keys,
 * lists inline. It was a raw JSON block; a reader wants the settings, not the syntax. Bounded, since a
 * configuration can hold long lists (an Import cell's testbed per run): at most CONFIG_LINE_LIMIT lines
 * of at most CONFIG_VALUE_CHARS characters each, the rest in the notebook's JSON export.
 */
export const CONFIG_LINE_LIMIT = 40;
export const CONFIG_VALUE_CHARS = 240;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value on one line: lists comma-separated, objects as "k: v" pairs in parentheses. */
export function inlineValue(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length ? v.map(inlineValue).join(', ') : 'none';
  if (isObject(v)) {
    const entries = Object.entries(v);
    return entries.length ? `(${entries.map(([k, x]) => `${k}: ${inlineValue(x)}`).join(', ')})` : 'none';
  }
  return String(v);
}

function clip(text: string): string {
  return text.length > CONFIG_VALUE_CHARS ? `${text.slice(0, CONFIG_VALUE_CHARS - 1)}…` : text;
}

/** Nothing set: "", null, {} or []. Printed as `x: ""` or `set: none` it only made the reader wonder. */
function isEmpty(v: unknown): boolean {
  return v === '' || v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** A sweep's varied knob as the Sweep cell sets it ({key, from, to, step}): "flush_every_polls 1..4 step 1". */
function varyText(v: unknown): string | null {
  if (!isObject(v) || typeof v['key'] !== 'string') return null;
  const { key, from, to, step } = v;
  const scalar = (x: unknown): x is number | string => typeof x === 'number' || typeof x === 'string';
  if (!scalar(from) || !scalar(to)) return null;
  return `${key} ${from}..${to}${scalar(step) ? ` step ${step}` : ''}`;
}

/** Every setting as [key, value], objects flattened to dotted keys; settings left empty are left out. */
export function configEntries(config: Record<string, unknown>, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(config)) {
    const key = `${prefix}${k}`;
    if (isEmpty(v)) continue;
    const ranges = k === 'vary' && Array.isArray(v) ? v.map(varyText) : null;
    if (ranges && ranges.every((r): r is string => r !== null)) out.push([key, clip(ranges.join('; '))]);
    else if (isObject(v)) out.push(...configEntries(v, `${key}.`));
    else out.push([key, clip(inlineValue(v))]);
  }
  return out;
}

/**
 * Where the notebook keeps what a cell held as another kind (M / Y switch it and back:
 * renderer/src/lib/notebook.ts, OTHER_KINDS_KEY). Not the cell's settings: not printed.
 */
const OTHER_KINDS_KEY = 'otherKinds';

/** The lines to print, and how many settings were left out. */
export function configLines(config: Record<string, unknown>): { lines: [string, string][]; more: number } {
  const { [OTHER_KINDS_KEY]: _kept, ...shown } = config;
  const all = configEntries(shown);
  return { lines: all.slice(0, CONFIG_LINE_LIMIT), more: Math.max(0, all.length - CONFIG_LINE_LIMIT) };
}
