/**
 * JSON with sorted keys, so equal parameter sets give equal cache keys and byte-identical exports.
 * Pure and dependency-free: the store keys its run cache with it, and the notebook (the renderer may
 * import it as a value) groups stored runs by the same text.
 */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}
