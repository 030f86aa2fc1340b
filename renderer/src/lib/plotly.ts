import { SERIES_COLORS } from '../../../core/contract/chart-colors.js';

/** Plotly is large: it is loaded on first use, only for charts that scroll into view. */
type PlotlyT = (typeof import('plotly.js-dist'))['default'];
let loading: Promise<PlotlyT> | null = null;

export function loadPlotly(): Promise<PlotlyT> {
  loading ??= import('plotly.js-dist').then((m) => m.default);
  return loading;
}

/** The theme's colours a chart draws with (CSS variables of app.css). */
export interface ThemeColors {
  fg: string;
  muted: string;
  grid: string;
  accent: string;
}

export function themeColors(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return { fg: v('--fg', '#1b1f24'), muted: v('--muted', '#5b6470'), grid: v('--border', '#d6dae0'), accent: v('--accent', '#1f6feb') };
}

const DEFAULT_TOP = 36;
/** Plotly's own top margin, for a layout that gives a margin without one. */
const PLOTLY_TOP = 100;
/**
 * A titled chart keeps its top MODEBAR_BAND px for Plotly's modebar (the buttons shown on hover at
 * the top right, ~26 px tall) and puts its title below them: centred in the old top margin, a long
 * title ran under the buttons on a narrow window.
 */
const MODEBAR_BAND = 28;
/** Room under the band for a title line and a label sitting on the plot's top edge (the warm-up note). */
const TITLE_ROOM = 36;

/**
 * Does the chart's `axis` show categories (systems, cell labels) rather than numbers? Plotly guesses
 * the same way: an axis typed 'category', or values that are strings other than numbers.
 */
export function isCategorical(data: readonly unknown[], layout: Record<string, unknown>, axis: 'x' | 'y'): boolean {
  const a = layout[`${axis}axis`] as { type?: unknown } | undefined;
  if (a?.type !== undefined) return a.type === 'category' || a.type === 'multicategory';
  return data.some((t) => {
    const vs = (t as Record<string, unknown> | null)?.[axis];
    return Array.isArray(vs) && vs.some((v) => typeof v === 'string' && (v.trim() === '' || !Number.isFinite(Number(v))));
  });
}

/** A layout that follows the app's theme (CSS variables), so charts are readable in light and dark. */
export function themed(layout: Record<string, unknown>, data: readonly unknown[] = [], colors: ThemeColors = themeColors()): Record<string, unknown> {
  const { fg, muted, grid, accent } = colors;
  const axis = (a: unknown, categorical: boolean): Record<string, unknown> => ({
    gridcolor: grid,
    zerolinecolor: grid,
    linecolor: grid,
    color: fg,
    automargin: true,
    // a gridline at each category's centre stood behind the bars like a whisker above them
    ...(categorical ? { showgrid: false } : {}),
    ...(a as Record<string, unknown>),
  });
  const margin = (layout['margin'] as Record<string, unknown> | undefined) ?? { l: 60, r: 20, t: DEFAULT_TOP, b: 50 };
  const height = typeof layout['height'] === 'number' ? layout['height'] : 320;
  const title = layout['title'] as Record<string, unknown> | undefined;
  const xSide = (layout['xaxis'] as { side?: unknown } | undefined)?.side;
  // (a heatmap with its x axis on top keeps Plotly's placement: its margin holds the tick labels)
  const banded = typeof title?.['text'] === 'string' && title['text'] !== '' && xSide !== 'top';
  const top = typeof margin['t'] === 'number' ? margin['t'] : PLOTLY_TOP;
  const grow = banded ? Math.max(0, MODEBAR_BAND + TITLE_ROOM - top) : 0;
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: fg, family: 'system-ui, sans-serif', size: 12 },
    legend: { orientation: 'h', y: -0.2 },
    // the palette the PDF report draws with, in its order: a series has one colour on screen and on paper
    colorway: [...SERIES_COLORS],
    // Plotly's default grey box reads as a smudge on the dark theme
    modebar: { bgcolor: 'rgba(0,0,0,0)', color: muted, activecolor: accent },
    ...layout,
    // the plot keeps its height: the band is added above it
    margin: grow > 0 ? { ...margin, t: top + grow } : margin,
    height: height + grow,
    ...(banded
      ? {
          title: {
            // centred on the line just below the band, whatever the chart's height
            yref: 'container',
            y: 1 - (MODEBAR_BAND + 10) / (height + grow),
            yanchor: 'middle',
            ...title,
          },
        }
      : {}),
    xaxis: axis(layout['xaxis'], isCategorical(data, layout, 'x')),
    yaxis: axis(layout['yaxis'], isCategorical(data, layout, 'y')),
  };
}

/**
 * The traces as drawn in the app's theme: Plotly draws a bar's error bars in a fixed #444, which
 * nearly vanished on the dark background; they take the theme's text colour instead (a scatter's
 * error bars already take its line's colour). A colour a trace gives its error bars is kept.
 */
export function themedTraces(data: readonly unknown[], colors: Pick<ThemeColors, 'fg'>): unknown[] {
  return data.map((t) => {
    const tr = t as Record<string, unknown> | null;
    if (tr === null || typeof tr !== 'object' || tr['type'] !== 'bar') return t;
    const out: Record<string, unknown> = { ...tr };
    for (const k of ['error_x', 'error_y'] as const) {
      const e = tr[k] as Record<string, unknown> | undefined;
      if (e && typeof e === 'object' && e['color'] === undefined) out[k] = { ...e, color: colors.fg };
    }
    return out;
  });
}

/** Plotly's names for the PDF's dashes (core/report/svg.ts dash: none, '6 3', '1.5 2.5'). */
export const SERIES_DASHES = ['solid', 'dash', 'dot'] as const;
export type SeriesDash = (typeof SERIES_DASHES)[number];

/**
 * The k-th palette series' line: the palette's colour, and once the eight colours repeat, a dash
 * (dashed, then dotted), as the PDF report draws it: "TCP download BE" and "TCP upload BE2" of a
 * flent RRUL file were both solid blue.
 */
export function seriesLine(k: number): { color: string; dash: SeriesDash } {
  const n = SERIES_COLORS.length;
  return { color: SERIES_COLORS[k % n] ?? '#1f77b4', dash: SERIES_DASHES[Math.floor(k / n) % SERIES_DASHES.length] ?? 'solid' };
}

/**
 * Should a drawn chart be resized to its container? Plotly's `responsive` follows window resizes
 * only and skips a chart it finds hidden (a cell off screen is not rendered: content-visibility), so
 * a chart kept a 1026 px drawing in a 646 px cell; and one drawn before its cell had its width stayed
 * at Plotly's guess. `drawn` is the width Plotly laid the chart out at, undefined before it has.
 */
export function needsResize(container: number, drawn: number | undefined): boolean {
  return drawn !== undefined && container > 0 && Math.abs(container - drawn) >= 1;
}

export { SERIES_COLORS };

/**
 * A tick at every integer for a small integer axis (k = 1, 2, 3, 4 rather than 1.5, 2.5). Only when
 * the span is small: dtick 1 over 8192…16384 asks Plotly for 8,000 ticks and froze the page ~10 s.
 */
export function integerTicks(xs: readonly unknown[]): { dtick: number } | Record<string, never> {
  const nums = xs.filter((v): v is number => typeof v === 'number');
  if (nums.length !== xs.length || nums.length < 2 || !nums.every(Number.isInteger)) return {};
  const span = Math.max(...nums) - Math.min(...nums);
  return span > 0 && span <= 20 ? { dtick: 1 } : {};
}
