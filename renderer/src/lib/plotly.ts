import { SERIES_COLORS } from '../../../core/contract/chart-colors.js';

/** Plotly is large: it is loaded on first use, only for charts that scroll into view. */
type PlotlyT = (typeof import('plotly.js-dist'))['default'];
let loading: Promise<PlotlyT> | null = null;

export function loadPlotly(): Promise<PlotlyT> {
  loading ??= import('plotly.js-dist').then((m) => m.default);
  return loading;
}

/** A layout that follows the app's theme (CSS variables), so charts are readable in light and dark. */
export function themed(layout: Record<string, unknown>): Record<string, unknown> {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  const fg = v('--fg', '#1b1f24');
  const grid = v('--border', '#d6dae0');
  const axis = (a: unknown): Record<string, unknown> => ({ gridcolor: grid, zerolinecolor: grid, linecolor: grid, color: fg, automargin: true, ...(a as Record<string, unknown>) });
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: fg, family: 'system-ui, sans-serif', size: 12 },
    margin: { l: 60, r: 20, t: 36, b: 50 },
    legend: { orientation: 'h', y: -0.2 },
    height: 320,
    // the palette the PDF report draws with, in its order: a series has one colour on screen and on paper
    colorway: [...SERIES_COLORS],
    ...layout,
    xaxis: axis(layout['xaxis']),
    yaxis: axis(layout['yaxis']),
  };
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
