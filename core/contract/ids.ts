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
