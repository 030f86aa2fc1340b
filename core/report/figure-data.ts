import type { Figure, TableData, TableValue } from './types.js';

/**
 * What Appendix A prints of a figure's data. A line figure's data can be long (a flent run's samples,
 * a 200,000-point trace): printed as rows it took pages per figure and repeated what the figure shows.
 * Past SERIES_ROWS_PRINTED rows it is summarised per series (points, x range, y min/mean/max); the
 * table's CSV/JSON export keeps every point.
 */
export const SERIES_ROWS_PRINTED = 30;

interface Acc {
  name: string;
  n: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  ySum: number;
  yN: number;
}

function finite(v: TableValue | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function add(acc: Acc, x: TableValue | undefined, y: TableValue | undefined): void {
  acc.n++;
  if (finite(x)) {
    acc.xMin = Math.min(acc.xMin, x);
    acc.xMax = Math.max(acc.xMax, x);
  }
  if (finite(y)) {
    acc.yMin = Math.min(acc.yMin, y);
    acc.yMax = Math.max(acc.yMax, y);
    acc.ySum += y;
    acc.yN++;
  }
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Per series (the data's first column): points, x from/to, y min/mean/max. Rows are [series, x, y, …]. */
export function seriesSummary(data: TableData): TableData {
  const bySeries = new Map<string, Acc>();
  for (const r of data.rows) {
    const name = String(r[0] ?? '–');
    let acc = bySeries.get(name);
    if (!acc) {
      acc = { name, n: 0, xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity, ySum: 0, yN: 0 };
      bySeries.set(name, acc);
    }
    add(acc, r[1], r[2]);
  }
  const [s = 'Series', x = 'x', y = 'y'] = data.columns;
  return {
    id: data.id,
    title: `${data.title}: each series summarised`,
    columns: [s, 'Points', `${x} from`, `${x} to`, `${y} min`, `${y} mean`, `${y} max`],
    rows: [...bySeries.values()].map((a) => [a.name, a.n, orNull(a.xMin), orNull(a.xMax), orNull(a.yMin), a.yN ? a.ySum / a.yN : null, orNull(a.yMax)]),
    note: `${data.rows.length.toLocaleString('en-US')} data points, drawn in the figure; the CSV/JSON export of table ${data.id} has every one.`,
  };
}

/** The table Appendix A prints for a figure: its data, or for a long line figure the per-series summary. */
export function appendixData(f: Figure): TableData {
  return f.spec.type === 'line' && f.data.rows.length > SERIES_ROWS_PRINTED ? seriesSummary(f.data) : f.data;
}
