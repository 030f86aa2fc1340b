/** Above this many points a chart series is decimated before drawing (the PDF stays vector and small). */
export const MAX_CHART_POINTS = 5000;

export interface XY {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}

/**
 * Min/max per bucket: the x range is split into maxPoints/2 buckets and each keeps its lowest and highest
 * point (in x order), so spikes and the envelope survive while the path shrinks to at most maxPoints.
 * Input must be sorted by x (callers sort).
 */
export function decimateMinMax(points: XY[], maxPoints = MAX_CHART_POINTS): { points: XY[]; decimated: boolean } {
  if (points.length <= maxPoints) return { points, decimated: false };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const per = points.length / buckets;
  const out: XY[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * per);
    const end = Math.min(points.length, Math.floor((b + 1) * per));
    let min: XY | undefined;
    let max: XY | undefined;
    let iMin = -1;
    let iMax = -1;
    for (let i = start; i < end; i++) {
      const p = points[i];
      if (!p) continue;
      if (!min || p.y < min.y) {
        min = p;
        iMin = i;
      }
      if (!max || p.y > max.y) {
        max = p;
        iMax = i;
      }
    }
    if (!min || !max) continue;
    if (iMin === iMax) out.push(min);
    else if (iMin < iMax) out.push(min, max);
    else out.push(max, min);
  }
  return { points: out, decimated: true };
}
