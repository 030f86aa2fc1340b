import type { ImportDoc, InterimResults, LogRecord } from '../types.js';
import { LogParseError } from '../errors.js';
import { isObj, parseConcatenatedJson } from '../json-split.js';

/**
 * flent data files (.flent.gz, data versions 1–4): one record per result series (sub-series such
 * as "TCP upload::1::tcp_rtt" are skipped). throughput is SERIES_META MEAN_VALUE when flent stored
 * it (as printed there), else the mean of the non-null samples (computed, and said so). The samples
 * themselves are kept as the record's time series (`interim`: value, interval length and time since
 * the start, from x_values), so an Import cell can draw them over time as flent does.
 */
export function parseFlent(file: string, text: string): ImportDoc {
  const docs = parseConcatenatedJson(file, text);
  const first = docs[0];
  if (first === undefined || !isObj(first.value)) throw new LogParseError(file, 1, 'not a flent data file: no JSON object');
  const d = first.value;
  const results = d['results'];
  const meta = isObj(d['metadata']) ? d['metadata'] : {};
  if (!isObj(results)) throw new LogParseError(file, 1, 'flent data file has no "results" object');
  const seriesMeta = isObj(meta['SERIES_META']) ? meta['SERIES_META'] : {};
  const xValues = Array.isArray(d['x_values']) ? d['x_values'] : null;
  const name = typeof meta['NAME'] === 'string' ? meta['NAME'] : 'flent';
  const length = typeof meta['LENGTH'] === 'number' ? meta['LENGTH'] : undefined;
  const warnings: string[] = [];
  const records: LogRecord[] = [];
  let computed = 0;
  for (const [series, vals] of Object.entries(results)) {
    // "TCP upload::3" is flow 3 (kept); "TCP upload::3::tcp_rtt" or "cpu_stats_host::load" are sub-series.
    const cut = series.lastIndexOf('::');
    if (cut >= 0 && !/^\d+$/.test(series.slice(cut + 2))) continue;
    if (!Array.isArray(vals)) throw new LogParseError(file, 1, `flent series "${series}" is not an array`);
    const sm = isObj(seriesMeta[series]) ? seriesMeta[series] : {};
    const units = typeof sm['UNITS'] === 'string' ? sm['UNITS'] : /^TCP|UDP (upload|download)/.test(series) ? 'Mbits/s' : /Ping|latency/i.test(series) ? 'ms' : undefined;
    const nums = vals.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    let mean: number | undefined = typeof sm['MEAN_VALUE'] === 'number' ? sm['MEAN_VALUE'] : undefined;
    if (mean === undefined && nums.length > 0) {
      mean = nums.reduce((a, b) => a + b, 0) / nums.length;
      computed++;
    }
    const rec: LogRecord = { line: 1, test: `flent ${name}: ${series}` };
    const extra: Record<string, string | number> = { series, samples: nums.length, null_samples: vals.length - nums.length };
    if (units !== undefined) extra['units'] = units;
    if (mean !== undefined) extra['mean'] = mean;
    if (units !== undefined && /bits\/s$/.test(units) && mean !== undefined) {
      rec.throughput = mean;
      rec.throughput_text = String(mean);
      rec.throughput_units = units;
    }
    const el = typeof sm['ELAPSED_TIME'] === 'number' ? sm['ELAPSED_TIME'] : length;
    if (el !== undefined) rec.elapsed_s = el;
    if (typeof sm['SEND_SIZE'] === 'number') rec.message_bytes = sm['SEND_SIZE'];
    if (typeof sm['COMMAND'] === 'string') extra['command'] = sm['COMMAND'];
    if (nums.length === 0) rec.error = 'series has no samples';
    const overTime = xValues !== null && xValues.length === vals.length ? timeSeries(vals, xValues, units ?? '') : null;
    if (overTime !== null) rec.interim = overTime;
    rec.extra = extra;
    records.push(rec);
  }
  if (computed > 0) warnings.push(`${computed} series have no stored MEAN_VALUE; their mean is computed from the samples`);
  const version = typeof d['version'] === 'number' ? d['version'] : '?';
  return { tool: 'flent', format: `flent data v${version}`, warnings, records, profiles: [] };
}

/** A series' samples against flent's x_values (seconds since the start); null samples are gaps, left out. */
function timeSeries(vals: unknown[], xs: unknown[], units: string): InterimResults | null {
  const out: InterimResults = { throughput_units: units, throughput: [], seconds: [], ending_at: [], line: 1 };
  let prev = 0;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    const x = xs[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) continue;
    if (typeof v === 'number' && Number.isFinite(v)) {
      out.throughput.push(v);
      out.seconds.push(x - prev);
      out.ending_at?.push(x);
    }
    prev = x;
  }
  return out.throughput.length > 0 ? out : null;
}
