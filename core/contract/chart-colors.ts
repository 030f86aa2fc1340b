/**
 * The charts' colours, shared by the notebook (Plotly) and the PDF report (SVG), so a figure looks
 * the same on screen and on paper: the series palette (Plotly's own order, without its grey, which is
 * the paper's) and the Compare chart's roles — paper grey, simulated blue, measured orange.
 */
export const SERIES_COLORS: readonly string[] = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
export const ROLE_COLORS = { Paper: '#8c8c8c', Simulated: '#1f77b4', Measured: '#ff7f0e' } as const;
