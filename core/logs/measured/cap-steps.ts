/**
 * The arithmetic of a log with hundreds of thousands of runs has a step line per run (a 256 MiB
 * netperf log: 337,826 lines, 27 MB). The API answer, and the Compare cell that autosaves it, keep
 * the first runs of each table and every summary line; `rxlab measured-tables` prints them all.
 */

const RUN_LINE = /^Table (IV|V|VII) run \d+/;

export function capRunSteps(steps: readonly string[], maxRunsPerTable: number): { steps: string[]; omitted: number } {
  const out: string[] = [];
  const kept = new Map<string, number>();
  let skipping = null as { table: string; runs: number; lines: number } | null;
  let omitted = 0;
  const flush = (): void => {
    if (skipping === null) return;
    out.push(`… ${skipping.runs.toLocaleString('en-US')} more Table ${skipping.table} runs (${skipping.lines.toLocaleString('en-US')} lines; rxlab measured-tables prints every step)`);
    skipping = null;
  };
  let inSkippedRun = false;
  for (const line of steps) {
    const run = RUN_LINE.exec(line);
    if (run) {
      const table = run[1] ?? '';
      const n = (kept.get(table) ?? 0) + 1;
      kept.set(table, n);
      inSkippedRun = n > maxRunsPerTable;
      if (!inSkippedRun) {
        flush();
        out.push(line);
        continue;
      }
      if (skipping?.table !== table) {
        flush();
        skipping = { table, runs: 0, lines: 0 };
      }
      skipping.runs++;
      skipping.lines++;
      omitted++;
    } else if (inSkippedRun && line.startsWith('  ') && skipping !== null) {
      // a Table V run's per-domain lines belong to the run above
      skipping.lines++;
      omitted++;
    } else {
      inSkippedRun = false;
      flush();
      out.push(line);
    }
  }
  flush();
  return { steps: out, omitted };
}
