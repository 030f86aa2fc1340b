import { decimateMinMax, MAX_CHART_POINTS, type XY } from './decimate.js';
import { SERIES_COLORS } from '../contract/chart-colors.js';
import { esc, fmtNum } from './escape.js';

/**
 * A small SVG chart generator that runs in Node. The report's charts are drawn here rather than by Plotly
 * in a browser, so the PDF keeps real vectors and text (pdftotext can read axis labels) and the CLI needs
 * no page scripts at all.
 */

export interface BarSeries {
  name: string;
  values: (number | null)[];
  /** Optional error bar ends (e.g. 95 % CI), same length as values. */
  lo?: (number | null)[];
  hi?: (number | null)[];
  /** A colour of its own (the paper's grey, …); otherwise the next of the palette. */
  color?: string;
}
export interface LineSeries {
  name: string;
  points: XY[];
  /** Draw markers (default when the series is short) and/or a connecting line. */
  markers?: boolean;
  line?: boolean;
  /** Draw the line as steps (horizontal, then vertical), as a distribution known at bucket edges is. */
  step?: boolean;
  /** A colour of its own (the paper's grey, measured orange); otherwise the next of the palette. */
  color?: string;
}
export type ChartSpec =
  | { type: 'bar'; title: string; yLabel: string; categories: string[]; series: BarSeries[] }
  /** xLog: a logarithmic x axis with a tick per decade, or 1-2-5 steps within one (points at x ≤ 0 are left out). */
  /**
   * yToZero: the y axis reaches down (or up) to 0, as the app's Plotly rangemode 'tozero' (over-time charts,
   * the objective profile): on an axis from 79.5 to 81.5 a ±1 % wobble looked like a collapse.
   */
  | { type: 'line'; title: string; xLabel: string; yLabel: string; series: LineSeries[]; xLog?: boolean; yToZero?: boolean };

export interface RenderedChart {
  svg: string;
  /** Set when a series was decimated, for the caption. */
  decimation: string | null;
}

// the app's colours (core/contract/chart-colors.ts): a chart looks the same on screen and on paper
export { ROLE_COLORS, SERIES_COLORS } from '../contract/chart-colors.js';
const COLORS = SERIES_COLORS;
const W = 640;
const H = 320;
const M = { top: 34, right: 16, bottom: 62, left: 64 };

export function color(i: number): string {
  return COLORS[i % COLORS.length] ?? '#000';
}

/** "Nice" tick values (1, 2, 5 × 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks[ticks.length - 1] ?? lo) < hi) ticks.push(Number((start + ticks.length * step).toPrecision(12)));
  return ticks;
}

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Series past the eighth colour repeat it with a dash, so up to 24 stay apart in print. */
export function dash(i: number): string | null {
  const round = Math.floor(i / COLORS.length) % 3;
  return round === 0 ? null : round === 1 ? '6 3' : '1.5 2.5';
}

/** Each series' colour and dash: its own colour if it has one, else the palette's next (dashed once the palette repeats). */
export function seriesStyles(series: readonly { color?: string }[]): { color: string; dash: string | null }[] {
  let k = 0; // palette index of the series without a colour of their own, as the app counts them
  return series.map((s) => {
    if (s.color !== undefined) return { color: s.color, dash: null };
    const i = k++;
    return { color: color(i), dash: dash(i) };
  });
}

interface LegendEntry {
  name: string;
  color: string;
  dash: string | null;
  /** Drawn as markers only (the paper's reference points): its legend shows a marker, not a line. */
  markerOnly?: boolean;
}

const LEGEND_ROW = 16;
/** Characters of a legend name before it is cut: a whole row (~88 at 11 px), so a log's file name reads whole. */
export const LEGEND_NAME_CHARS = 86;

/** Legend entries laid out left to right, wrapping into rows; the width of a name is estimated (11 px text). */
function legendLayout(names: string[]): { items: { name: string; x: number; row: number }[]; rows: number } {
  const maxX = W - M.right;
  const items: { name: string; x: number; row: number }[] = [];
  let x = M.left;
  let row = 0;
  for (const name of names) {
    const w = 22 + Math.min(name.length, LEGEND_NAME_CHARS) * 6.1 + 14;
    if (x > M.left && x + w > maxX) {
      row++;
      x = M.left;
    }
    items.push({ name: name.length > LEGEND_NAME_CHARS ? `${name.slice(0, LEGEND_NAME_CHARS - 1)}…` : name, x, row });
    x += w;
  }
  return { items, rows: Math.max(1, row + 1) };
}

function frame(title: string, body: string, legend: LegendEntry[], xLabel: string, yLabel: string, kind: 'bar' | 'line'): string {
  const { items, rows } = legendLayout(legend.map((l) => l.name));
  // the plot keeps its size; extra legend rows make the picture taller
  const h = H + (rows - 1) * LEGEND_ROW;
  const legendSvg = items
    .map(({ name, x, row }, i) => {
      const y = H - 16 + row * LEGEND_ROW;
      const { color: c, dash: d, markerOnly } = legend[i] ?? { color: color(i), dash: dash(i) };
      const sample =
        kind === 'bar'
          ? `<rect x="${x}" y="${y}" width="10" height="10" fill="${c}"/>`
          : markerOnly
            ? `<circle cx="${x + 9}" cy="${y + 5}" r="3" fill="${c}"/>`
            : `<line x1="${x}" x2="${x + 18}" y1="${y + 5}" y2="${y + 5}" stroke="${c}" stroke-width="2"${d ? ` stroke-dasharray="${d}"` : ''}/>`;
      return `${sample}<text x="${x + (kind === 'bar' ? 14 : 22)}" y="${y + 9}" font-size="11">${esc(name)}</text>`;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" font-family="Liberation Sans, Arial, Helvetica, sans-serif" role="img" aria-label="${esc(title)}">` +
    `<rect width="${W}" height="${h}" fill="#fff"/>` +
    `<text x="${W / 2}" y="18" font-size="13" font-weight="bold" text-anchor="middle">${esc(title)}</text>` +
    body +
    `<text x="${M.left + (W - M.left - M.right) / 2}" y="${H - 26}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>` +
    `<text transform="translate(14 ${M.top + (H - M.top - M.bottom) / 2}) rotate(-90)" font-size="11" text-anchor="middle">${esc(yLabel)}</text>` +
    legendSvg +
    `</svg>`
  );
}

function yAxis(ticks: number[], y: (v: number) => number): string {
  return ticks
    .map((t) => {
      const yy = y(t).toFixed(1);
      return `<line x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}" stroke="#ddd" stroke-width="0.6"/><text x="${M.left - 6}" y="${yy}" dy="3.5" font-size="10" text-anchor="end">${esc(fmtNum(t))}</text>`;
    })
    .join('');
}

function barChart(spec: Extract<ChartSpec, { type: 'bar' }>): RenderedChart {
  const vals: number[] = [0];
  for (const s of spec.series) for (const arr of [s.values, s.lo ?? [], s.hi ?? []]) for (const v of arr) if (finite(v)) vals.push(v);
  const ticks = niceTicks(Math.min(...vals), Math.max(...vals));
  const t0 = ticks[0] ?? 0;
  const t1 = ticks[ticks.length - 1] ?? 1;
  const plotH = H - M.top - M.bottom;
  const y = (v: number): number => M.top + plotH - ((v - t0) / (t1 - t0 || 1)) * plotH;
  const n = Math.max(1, spec.categories.length);
  const groupW = (W - M.left - M.right) / n;
  const k = Math.max(1, spec.series.length);
  const barW = Math.min(36, (groupW * 0.8) / k);
  let body = yAxis(ticks, y);
  const styles = seriesStyles(spec.series);
  spec.categories.forEach((cat, ci) => {
    const gx = M.left + ci * groupW + (groupW - barW * k) / 2;
    spec.series.forEach((s, si) => {
      const v = s.values[ci];
      const x = gx + si * barW;
      if (!finite(v)) return;
      const y0 = y(Math.max(0, t0));
      const yv = y(v);
      body += `<rect x="${x.toFixed(1)}" y="${Math.min(yv, y0).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.abs(y0 - yv).toFixed(1)}" fill="${styles[si]?.color ?? color(si)}"><title>${esc(`${s.name} ${cat}: ${fmtNum(v)}`)}</title></rect>`;
      const lo = s.lo?.[ci];
      const hi = s.hi?.[ci];
      if (finite(lo) && finite(hi)) {
        const cx = (x + (barW - 2) / 2).toFixed(1);
        body += `<path d="M${cx} ${y(lo).toFixed(1)}V${y(hi).toFixed(1)}M${(x + 3).toFixed(1)} ${y(lo).toFixed(1)}H${(x + barW - 5).toFixed(1)}M${(x + 3).toFixed(1)} ${y(hi).toFixed(1)}H${(x + barW - 5).toFixed(1)}" stroke="#222" stroke-width="1" fill="none"/>`;
      }
    });
    body += `<text x="${(M.left + ci * groupW + groupW / 2).toFixed(1)}" y="${H - M.bottom + 14}" font-size="11" text-anchor="middle">${esc(cat)}</text>`;
  });
  body += `<line x1="${M.left}" x2="${W - M.right}" y1="${y(Math.max(0, t0)).toFixed(1)}" y2="${y(Math.max(0, t0)).toFixed(1)}" stroke="#333"/>`;
  return { svg: frame(spec.title, body, spec.series.map((s, i) => ({ name: s.name, ...(styles[i] ?? { color: color(i), dash: null }) })), '', spec.yLabel, 'bar'), decimation: null };
}

function lineChart(spec: Extract<ChartSpec, { type: 'line' }>): RenderedChart {
  const notes: string[] = [];
  const log = spec.xLog === true;
  // on a log axis every x is drawn as its log10, and the ticks are labelled with the value
  const series = spec.series.map((s) => {
    const pts = s.points
      .filter((p) => finite(p.x) && finite(p.y) && (!log || p.x > 0))
      .map((p) => (log ? { ...p, x: Math.log10(p.x) } : p))
      .sort((a, b) => a.x - b.x);
    const d = decimateMinMax(pts, MAX_CHART_POINTS);
    if (d.decimated) notes.push(`${s.name}: ${pts.length.toLocaleString('en-US')} points drawn as ${d.points.length.toLocaleString('en-US')} (min/max per bucket)`);
    return { ...s, points: d.points };
  });
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.flatMap((p) => [p.y, p.lo, p.hi].filter(finite)));
  const xt = log ? decades(xs) : niceTicks(xs.length ? Math.min(...minmax(xs)) : 0, xs.length ? Math.max(...minmax(xs)) : 1);
  const [yLo, yHi] = ys.length ? minmax(ys) : [0, 1];
  const yt = spec.yToZero ? niceTicks(Math.min(0, yLo), Math.max(0, yHi)) : niceTicks(yLo, yHi);
  // 2 % padding so markers and error bars at the ends are not clipped by the axes
  const xPad = ((xt[xt.length - 1] ?? 1) - (xt[0] ?? 0)) * 0.02;
  const [x0, x1] = [(xt[0] ?? 0) - xPad, (xt[xt.length - 1] ?? 1) + xPad];
  const [y0, y1] = [yt[0] ?? 0, yt[yt.length - 1] ?? 1];
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (v: number): number => M.left + ((v - x0) / (x1 - x0 || 1)) * plotW;
  const y = (v: number): number => M.top + plotH - ((v - y0) / (y1 - y0 || 1)) * plotH;
  let body = yAxis(yt, y);
  body += xt.map((t) => `<text x="${x(t).toFixed(1)}" y="${H - M.bottom + 14}" font-size="10" text-anchor="middle">${esc(fmtNum(log ? 10 ** t : t))}</text>`).join('');
  if (log) body += xt.map((t) => `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#ddd" stroke-width="0.6"/>`).join('');
  body += `<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="#333"/><line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}" stroke="#333"/>`;
  const styles = seriesStyles(series);
  series.forEach((s, si) => {
    const { color: c, dash: dashed } = styles[si] ?? { color: color(si), dash: dash(si) };
    const pts = s.points;
    const line = s.line ?? pts.length > 1;
    const markers = s.markers ?? pts.length <= 60;
    if (line && pts.length > 1) {
      const d = pts
        .map((p, i) => {
          const at = `${x(p.x).toFixed(1)} ${y(p.y).toFixed(1)}`;
          if (i === 0) return `M${at}`;
          // a step: along at the previous height to this x, then up or down to this y
          return s.step ? `H${x(p.x).toFixed(1)}V${y(p.y).toFixed(1)}` : `L${at}`;
        })
        .join('');
      body += `<path d="${d}" fill="none" stroke="${c}" stroke-width="1.5" stroke-linejoin="round"${dashed ? ` stroke-dasharray="${dashed}"` : ''}/>`;
    }
    for (const p of pts) {
      if (finite(p.lo) && finite(p.hi)) {
        const cx = x(p.x).toFixed(1);
        body += `<path d="M${cx} ${y(p.lo).toFixed(1)}V${y(p.hi).toFixed(1)}M${(x(p.x) - 3).toFixed(1)} ${y(p.lo).toFixed(1)}h6M${(x(p.x) - 3).toFixed(1)} ${y(p.hi).toFixed(1)}h6" stroke="${c}" stroke-width="1" fill="none"/>`;
      }
      if (markers) body += `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="2.8" fill="${c}"/>`;
    }
  });
  const legend = series.map((s, i) => ({ name: s.name, ...(styles[i] ?? { color: color(i), dash: dash(i) }), markerOnly: s.line === false }));
  return { svg: frame(spec.title, body, legend, spec.xLabel, spec.yLabel, 'line'), decimation: notes.length ? notes.join('; ') : null };
}

/**
 * Tick positions (log10 values) at each whole decade covering the data; data within less than a
 * decade (a profile's ×0.5 … ×2) get 1-2-5 steps instead, so they do not shrink to the middle of
 * three decades.
 */
function decades(logs: number[]): number[] {
  if (!logs.length) return [0, 1];
  const [lo, hi] = minmax(logs);
  const out: number[] = [];
  if (hi - lo < 1) {
    const eps = 1e-9;
    const steps: number[] = [];
    for (let k = Math.floor(lo) - 1; k <= Math.ceil(hi) + 1; k++) for (const m of [1, 2, 5]) steps.push(k + Math.log10(m));
    const first = steps.filter((t) => t <= lo + eps).at(-1) ?? lo;
    const last = steps.find((t) => t >= hi - eps && t > first + eps) ?? first + 1;
    out.push(...steps.filter((t) => t >= first - eps && t <= last + eps));
    return out;
  }
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) out.push(k);
  return out.length > 1 ? out : [out[0] ?? 0, (out[0] ?? 0) + 1];
}

/** Math.min(...big array) overflows the stack past ~100k arguments; reduce first. */
function minmax(v: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const n of v) {
    if (n < lo) lo = n;
    if (n > hi) hi = n;
  }
  return [lo, hi];
}

export function renderChart(spec: ChartSpec): RenderedChart {
  return spec.type === 'bar' ? barChart(spec) : lineChart(spec);
}
