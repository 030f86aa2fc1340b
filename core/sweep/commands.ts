/** `rxlab sweep …`: grids with intervals, the flush-policy trade-off, consolidation, Slurm, parameter sets. */
import { parseArgs } from 'node:util';
import type { CliIO, CommandSpec } from '../cli-types.js';
import { ParamError } from '../sim/params.js';
import { intFlag, UsageError } from '../cli-args.js';
import { openStore, type Db } from '../store/db.js';
import { realBackend } from './backend.js';
import { formatConsolidation, runConsolidation } from './consolidation.js';
import { plan, runSweep } from './engine.js';
import { allRequests, parseKnobValue, parseSet, parseVary } from './grid.js';
import { calibrateToLogs, calibrateToTables, formatCalibration, type CalibrationToLogs, type MeasuredSource } from './calibrate.js';
import { collectFit, readTargets } from './calibrate-slurm.js';
import { deleteParameterSet, getParameterSet, listParameterSets } from './paramsets.js';
import { collect, submit, writeSlurmSweep } from './slurm.js';
import { defaultTradeoffSpec, formatTradeoff, loadsFromKnob, runTradeoff } from './tradeoff.js';
import type { KnobSet, SweepOptions, SweepResult, SweepSpec, SystemName, Workload } from './types.js';
import { ivText } from './stats.js';
import { retryBusy } from '../store/busy.js';

const SYSTEMS: readonly SystemName[] = ['Linux', 'Xen', 'LRO', 'BO', 'DA'];

const USAGE = `rxlab sweep --system S --vary key=from..to[:step] [--vary …] [--set k=v …] [--seeds N] [options]
rxlab sweep collect DIR [--json]
rxlab sweep tradeoff [--system S] [--load key=v1,v2,…] [--seeds N] [--set k=v …] [--json]
rxlab sweep consolidation [--system S] [--guests 0,1,2,4] [--seeds N] [--set k=v …] [--json]
rxlab sweep params [--json] [--delete NAME]
rxlab sweep calibrate --name NAME --measured SYSTEM=ID,ID… [--measured …] [--evals N] [--replace] [--json]
rxlab sweep calibrate --name NAME --targets FILE [--evals N] [--json]
rxlab sweep calibrate --collect DIR [--name NAME] [--replace] [--json]

Sweep: every grid point × seeds 1…N; points already in the store (same model version, parameters,
seed and workload) are not simulated again, so an interrupted sweep resumes where it stopped.
Prints the mean and 95 % Student-t interval of each metric per point.

  --system S              Linux | Xen | LRO | BO | DA
  --vary key=a..b[:step]  a knob over a numeric range (inclusive), or key=v1,v2,… over values
  --set k=v               fixed knob for every point (repeatable), e.g. --set flush_policy=every-k
  --seeds N               seeds per point (default 3); seed values start at --seed-base (default 1)
  --workload stream|rr    netperf TCP_STREAM (default) or TCP_RR
  --until-halfwidth PCT   sequential mode (like netperf -I): add seeds to a point until the interval
                          half-width of --metric is at most PCT % of its mean, from --seeds (≥ 2)
  --max-seeds N           … but never more than N seeds per point (default 30)
  --metric M              metric for --until-halfwidth (default throughput_mbps, or
                          rr_transactions_per_s for rr)
  --params NAME           start from a saved parameter set (see \`rxlab sweep params\`)
  --batch N               points saved per transaction (default: one per pool thread); a crash
                          loses at most the batches in flight
  --json                  the whole outcome as JSON on stdout
  --slurm --out DIR       do not run: write DIR/manifest.json, DIR/tasks.tsv and the job-array script
                          DIR/sweep.sbatch (task i runs \`rxlab run\` for point i → DIR/points/i.json);
                          with --params, the set goes along as DIR/params.json (\`rxlab run --params-file\`)
  --submit                with --slurm: submit it with sbatch (where Slurm is installed)

collect DIR: imports the finished points of a Slurm sweep into the store (by cache key: resumable,
never twice); unfinished or partial files are reported and skipped. Prints the intervals. Exit 0
when every point is in the store, 3 when some are unfinished or invalid (run it again later).

tradeoff: throughput vs aggregation-to-flush latency for every-k (k=1…8), timeout and adaptive flush
policies at several loads (default: link 500 and 1000 Mb/s, and 1000 Mb/s with 1 and 2 busy guests
sharing the core; --load key=v1,v2,… for your own), 3 seeds, LRO; and whether an adaptive policy
Pareto-dominates every fixed k, or lies beyond the fixed-k frontier, at some load.

consolidation: busy guests sharing the CPU (--guests levels): receiver throughput, per-guest CPU share
and Jain's fairness index.

calibrate: fits the cost-group multipliers to measured tables derived from your imported logs (per
system: the netperf and oprofile/perf file ids, see \`rxlab import\`), prints the residual of every
cell before and after, and saves the fitted set as NAME for \`--params NAME\`. --targets FILE fits
to measured tables already derived (what a Slurm task of the notebook's fit reads); --collect DIR
saves the set of such a job into this database, under the name the notebook gave it (or --name).

params: lists the saved parameter sets; --delete NAME removes one.`;

function progress(io: CliIO): SweepOptions['onProgress'] {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done === total || now - last > 1000) {
      last = now;
      io.err(`sweep: ${done}/${total} points\n`);
    }
  };
}

function systemFlag(v: string | undefined, def?: SystemName, flag = '--system'): SystemName {
  if (v === undefined) {
    if (def) return def;
    throw new UsageError(`${flag} is required (Linux, Xen, LRO, BO or DA)`);
  }
  const s = SYSTEMS.find((x) => x.toLowerCase() === v.toLowerCase());
  if (!s) throw new UsageError(`${flag}: expected one of ${SYSTEMS.join(', ')}, got "${v}"`);
  return s;
}

function workloadFlag(v: string | undefined): Workload {
  if (v === undefined || v === 'stream') return 'stream';
  if (v === 'rr') return 'rr';
  throw new UsageError(`--workload: expected stream or rr, got "${v}"`);
}

function pctFlag(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n >= 100) throw new UsageError(`--until-halfwidth: expected a percentage in (0, 100), got "${v}"`);
  return n;
}


/** "fixed: duration_s=0.5 mtu=9000 · parameter set myfit · seeds from 3" (or the defaults said so). */
function fixedLine(f: { set: KnobSet; seedBase: number; parameterSet?: string }): string {
  const knobs = Object.entries(f.set).map(([k, v]) => `${k}=${String(v)}`);
  const parts = [knobs.length > 0 ? knobs.join(' ') : 'no knob set (the system\'s preset)', f.parameterSet !== undefined ? `parameter set ${f.parameterSet}` : 'the calibrated parameters', `seeds from ${f.seedBase}`];
  return `fixed: ${parts.join(' · ')}`;
}

export function formatSweep(r: SweepResult, fixed?: { set: KnobSet; seedBase: number; parameterSet?: string }): string {
  const cols: [string, string, number][] =
    r.workload === 'rr'
      ? [['rr_transactions_per_s', 'trans/s', 0], ['cycles_per_byte.total', 'cycles/byte', 2]]
      : [['throughput_mbps', 'Mb/s', 1], ['flush_latency_us.mean', 'flush µs', 1], ['cycles_per_byte.total', 'cycles/byte', 2], ['lro_rate', 'LRO rate', 2]];
  const lines = [
    `sweep ${r.system} ${r.workload}: ${r.points.length} points × ${r.seeds} seeds, model ${r.modelVersion}; ${r.simulated} simulated, ${r.cachedRuns} from the store (95 % Student-t intervals)`,
    ...(fixed === undefined ? [] : [fixedLine(fixed)]),
    '',
    `  ${r.vary.map((v) => v.padStart(18)).join(' ')} ${'n'.padStart(3)} ${cols.map(([, h]) => h.padStart(20)).join(' ')}${r.sequential ? '  converged' : ''}`,
  ];
  for (const p of r.points) {
    const n = Math.max(0, ...Object.values(p.metrics).map((m) => m.n));
    lines.push(
      `  ${r.vary.map((v) => String(p.values[v]).padStart(18)).join(' ')} ${String(n).padStart(3)} ${cols.map(([k, , d]) => ivText(p.metrics[k], d).padStart(20)).join(' ')}${r.sequential ? `  ${p.converged ? 'yes' : 'no (max seeds)'}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `--measured SYSTEM=FILE_ID,FILE_ID…` (repeatable): imported logs per testbed system. */
export function measuredFlags(list: string[] | undefined): MeasuredSource[] {
  return (list ?? []).map((m) => {
    const eq = m.indexOf('=');
    if (eq <= 0) throw new UsageError(`--measured ${m}: expected SYSTEM=FILE_ID,FILE_ID…`);
    const ids = m
      .slice(eq + 1)
      .split(',')
      .map((x) => x.trim());
    if (ids.some((x) => !/^\d+$/.test(x))) throw new UsageError(`--measured ${m}: file ids are whole numbers`);
    return { system: systemFlag(m.slice(0, eq), undefined, '--measured'), fileIds: ids.map(Number) };
  });
}

export async function withDb<T>(io: CliIO, f: (db: Db) => Promise<T>): Promise<T> {
  const db = openStore(io.dbPath);
  try {
    return await f(db);
  } finally {
    db.close();
  }
}

async function runGrid(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      system: { type: 'string' },
      vary: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      seeds: { type: 'string' },
      'seed-base': { type: 'string' },
      workload: { type: 'string' },
      'until-halfwidth': { type: 'string' },
      'max-seeds': { type: 'string' },
      metric: { type: 'string' },
      params: { type: 'string' },
      json: { type: 'boolean' },
      slurm: { type: 'boolean' },
      submit: { type: 'boolean' },
      out: { type: 'string' },
      batch: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const system = systemFlag(values.system);
  if (!values.vary?.length) throw new UsageError('--vary key=from..to[:step] is required (repeatable)');
  const workload = workloadFlag(values.workload);
  const spec: SweepSpec = {
    system,
    workload,
    set: parseSet(values.set ?? []),
    vary: values.vary.map(parseVary),
    seeds: intFlag('seeds', values.seeds, 3, 1, 1000),
    seedBase: intFlag('seed-base', values['seed-base'], 1, 0, 2 ** 31 - 1001),
  };
  const dup = spec.vary.map((v) => v.key).find((k, i, a) => a.indexOf(k) !== i);
  if (dup) throw new UsageError(`--vary ${dup} is given twice`);
  // the axis won in every point while the header said "fixed: K=…"
  const clash = spec.vary.map((v) => v.key).find((k) => k in spec.set);
  if (clash) throw new UsageError(`--set ${clash} and --vary ${clash}: a knob is either held fixed or varied`);
  if (values['until-halfwidth'] !== undefined) {
    if (values.slurm) throw new UsageError('--until-halfwidth decides seed by seed as results come in: it runs locally only, not with --slurm');
    if (spec.seeds < 2) io.err('warning: --until-halfwidth starts from 2 seeds (an interval needs two), not 1\n');
    spec.sequential = {
      metric: values.metric ?? (workload === 'rr' ? 'rr_transactions_per_s' : 'throughput_mbps'),
      halfWidthPct: pctFlag(values['until-halfwidth']),
      maxSeeds: intFlag('max-seeds', values['max-seeds'], 30, 2, 1000),
    };
  } else if (values['max-seeds'] !== undefined || values.metric !== undefined) {
    throw new UsageError('--max-seeds and --metric go with --until-halfwidth');
  }
  const backend = realBackend();
  if (values.params !== undefined) {
    const name = values.params;
    const ps = await withDb(io, async (db) => getParameterSet(db, name));
    if (!ps) throw new UsageError(`--params: no parameter set named "${name}" (see rxlab sweep params)`);
    spec.parameterSet = ps.params;
  }
  if (values.submit && !values.slurm) throw new UsageError('--submit goes with --slurm');
  if (values.slurm) {
    if (!values.out) throw new UsageError('--slurm needs --out DIR');
    const out = values.out;
    // only the runs not stored yet, as the Sweep cell submits them (this wrote every run of the grid)
    const missing = await withDb(io, async (db) => new Set(plan(db, backend, allRequests(spec).map((r) => r.req)).filter((p) => p.runId === undefined).map((p) => p.key)));
    if (missing.size === 0) {
      io.out(values.json ? `${JSON.stringify({ script: null, points: 0 })}\n` : 'every run of this sweep is stored already: nothing to submit (rxlab sweep without --slurm prints it)\n');
      return 0;
    }
    const { script, manifest } = writeSlurmSweep(backend, spec, out, { keep: (key) => missing.has(key), ...(values.params !== undefined ? { parameterSetName: values.params } : {}) });
    io.err(`wrote ${manifest.points.length} points: ${script}\n`);
    if (values.submit) {
      const id = submit(script);
      io.out(values.json ? `${JSON.stringify({ script, points: manifest.points.length, jobId: id })}\n` : `submitted job array ${id} (${manifest.points.length} tasks); collect with: rxlab sweep collect ${values.out}\n`);
    } else {
      io.out(values.json ? `${JSON.stringify({ script, points: manifest.points.length })}\n` : `submit with: sbatch ${script}\nthen: rxlab sweep collect ${values.out}\n`);
    }
    return 0;
  }
  const opts: SweepOptions = { signal: io.signal, onProgress: progress(io), onWarning: (m) => io.err(`warning: ${m}\n`) };
  if (values.batch !== undefined) opts.batchSize = intFlag('batch', values.batch, 2, 1, 1000);
  // runs of a saved set carry its name, so `rxlab runs --search NAME` finds them (as the Sweep cell's do)
  if (values.params !== undefined) opts.label = `sweep · parameter set ${values.params}`;
  const r = await withDb(io, (db) => runSweep(db, backend, spec, opts)).catch((e: unknown) => {
    // a --metric no run has is a bad flag (exit 2), found only once the first runs are in
    throw e instanceof Error && e.message.startsWith('--metric ') ? new UsageError(e.message) : e;
  });
  // what the sweep held fixed, beside what it varied: two sweeps with other --set or --params differ here
  const fixed = { set: spec.set, seedBase: spec.seedBase ?? 1, ...(values.params !== undefined ? { parameterSet: values.params } : {}) };
  io.out(values.json ? `${JSON.stringify({ ...r, ...fixed })}\n` : formatSweep(r, fixed));
  return 0;
}

async function runCollect(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: true });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new UsageError('collect needs exactly one DIR (the --out of sweep --slurm)');
  const r = await withDb(io, async (db) => collect(db, dir, (m) => io.err(`warning: ${m}\n`)));
  if (values.json) io.out(`${JSON.stringify(r)}\n`);
  else {
    const other = r.keyMismatch.length > 0 ? `, ${r.keyMismatch.length} of another model or parameters (kept apart)` : '';
    io.out(`collected ${dir}: ${r.imported} imported, ${r.alreadyStored} already in the store, ${r.missing.length} not finished, ${r.invalid.length} invalid${other} (of ${r.total})\n`);
    for (const p of r.points) {
      const t = p.metrics['throughput_mbps'] ?? p.metrics['rr_transactions_per_s'];
      io.out(`  ${JSON.stringify(p.values)}  n=${p.runIds.length}  ${ivText(t, 1)}\n`);
    }
  }
  return r.missing.length > 0 || r.invalid.length > 0 || r.keyMismatch.length > 0 ? 3 : 0;
}

async function runTradeoffCmd(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { system: { type: 'string' }, load: { type: 'string' }, seeds: { type: 'string' }, set: { type: 'string', multiple: true }, json: { type: 'boolean' } },
    strict: true,
  });
  const spec = defaultTradeoffSpec();
  spec.system = systemFlag(values.system, 'LRO');
  // the trade-off is between flush policies: a system without LRO has none to compare
  if (spec.system === 'Linux' || spec.system === 'Xen') throw new UsageError(`--system ${spec.system} has no LRO, so no flush policy to trade off; use LRO, BO or DA`);
  spec.seeds = intFlag('seeds', values.seeds, 3, 2, 100);
  spec.set = parseSet(values.set ?? []);
  if (spec.set['lro'] === false || spec.set['lro'] === 'off') throw new UsageError('--set lro=off leaves no flush policy to trade off');
  for (const k of ['flush_policy', 'flush_every_polls', 'flush_timeout_us']) {
    if (k in spec.set) throw new UsageError(`--set ${k}: the trade-off sets the flush policy itself (every-k 1…8, timeouts, adaptive)`);
  }
  if (values.load !== undefined) {
    const v = parseVary(values.load);
    if (['flush_policy', 'flush_every_polls', 'flush_timeout_us', 'lro'].includes(v.key)) throw new UsageError(`--load ${v.key}: a load is the traffic (e.g. message_bytes), not the flush policy the trade-off varies itself`);
    spec.loads = loadsFromKnob(v.key, v.values);
  }
  const r = await withDb(io, (db) => runTradeoff(db, realBackend(), spec, { signal: io.signal, onProgress: progress(io) }));
  io.out(values.json ? `${JSON.stringify(r)}\n` : formatTradeoff(r));
  return 0;
}

async function runConsolidationCmd(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { system: { type: 'string' }, guests: { type: 'string' }, seeds: { type: 'string' }, set: { type: 'string', multiple: true }, json: { type: 'boolean' } },
    strict: true,
  });
  const guests = (values.guests ?? '0,1,2,4').split(',').map((s) => {
    const v = parseKnobValue(s);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new UsageError(`--guests: expected whole numbers, got "${s}"`);
    return v;
  });
  const r = await withDb(io, (db) =>
    runConsolidation(
      db,
      realBackend(),
      // 1 s measured unless --set says otherwise: busy guests share the core in 30 ms slices, and over
      // the preset's 0.15 s their share follows the slices' phase (two busy guests took 60 % like three)
      { system: systemFlag(values.system, 'LRO'), set: { duration_s: 1, ...parseSet(values.set ?? []) }, guests, seeds: intFlag('seeds', values.seeds, 3, 1, 100) },
      { signal: io.signal, onProgress: progress(io) },
    ),
  );
  io.out(values.json ? `${JSON.stringify(r)}\n` : formatConsolidation(r));
  return 0;
}

async function runParams(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, delete: { type: 'string' } }, strict: true });
  if (values.delete !== undefined) {
    const name = values.delete;
    // another process's long write (an import) holds the lock for seconds: wait for it, as import --delete does
    if (!(await withDb(io, async (db) => retryBusy(() => deleteParameterSet(db, name), { signal: io.signal })))) throw new UsageError(`--delete: no parameter set named "${name}" (see rxlab sweep params)`);
    io.out(`deleted parameter set "${name}" (runs simulated from it keep its parameters in their provenance)\n`);
    return 0;
  }
  const list = await withDb(io, async (db) => listParameterSets(db));
  if (values.json) io.out(`${JSON.stringify(list)}\n`);
  else if (list.length === 0) io.out('no saved parameter sets\n');
  else for (const p of list) io.out(`${p.name}  ${p.createdAt}  ${Object.keys(p.params).length} parameters\n`);
  return 0;
}

async function runCalibrate(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      measured: { type: 'string', multiple: true },
      targets: { type: 'string' },
      collect: { type: 'string' },
      evals: { type: 'string' },
      replace: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  let r: CalibrationToLogs;
  if (values.collect !== undefined) {
    // a fit the notebook ran on Slurm (calibrate-slurm.ts), collected by hand: its set saved here,
    // under the name the notebook gave it unless --name gives another
    if (values.measured !== undefined || values.targets !== undefined || values.evals !== undefined) throw new UsageError('--collect DIR takes only --name, --replace and --json');
    const dir = values.collect;
    const as = { ...(values.name !== undefined ? { name: values.name.trim() } : {}), ...(values.replace !== undefined ? { replace: values.replace } : {}) };
    r = await withDb(io, async (db) => collectFit(db, dir, as));
  } else {
    const name = values.name?.trim();
    if (!name) throw new UsageError('--name NAME is required (the parameter set to save)');
    // before the fit, not after minutes of it (the notebook refuses up front too)
    if (!values.replace && values.targets === undefined && (await withDb(io, async (db) => getParameterSet(db, name) !== undefined))) {
      throw new UsageError(`a parameter set named "${name}" exists already: choose another --name, or add --replace`);
    }
    if (values.targets !== undefined && values.measured !== undefined) throw new UsageError('--targets and --measured exclude each other');
    const opts = {
      maxEvals: intFlag('evals', values.evals, 120, 1, 100000),
      replace: values.replace ?? false,
      onProgress: (evals: number, f: number) => io.err(`calibrate: evaluation ${evals}, objective ${f.toFixed(2)}\n`),
    };
    if (values.targets !== undefined) {
      // measured tables already derived (a Slurm task of the notebook's fit: its database has no logs,
      // and whether it could save there does not matter: the collector saves the fitted set it prints)
      const sources = readTargets(values.targets);
      const fitted = await withDb(io, (db) => calibrateToTables(db, name, sources, opts));
      io.out(values.json ? `${JSON.stringify(fitted)}\n` : formatCalibration(fitted));
      return 0;
    } else {
      const sources = measuredFlags(values.measured);
      if (sources.length === 0) throw new UsageError('--measured SYSTEM=FILE_ID,… (repeatable) or --targets FILE is required');
      r = await withDb(io, (db) => calibrateToLogs(db, name, sources, opts));
    }
  }
  io.out(values.json ? `${JSON.stringify(r)}\n` : formatCalibration(r));
  return r.saved ? 0 : 1;
}

export const sweepCommands: CommandSpec[] = [
  {
    name: 'sweep',
    summary: 'Parameter sweeps with 95 % intervals (run only what is missing), flush-policy trade-off, consolidation, Slurm',
    usage: USAGE,
    async run(args, io) {
      const [sub, ...rest] = args;
      try {
        if (sub === 'collect') return await runCollect(rest, io);
        if (sub === 'tradeoff') return await runTradeoffCmd(rest, io);
        if (sub === 'consolidation') return await runConsolidationCmd(rest, io);
        if (sub === 'params') return await runParams(rest, io);
        if (sub === 'calibrate') return await runCalibrate(rest, io);
        return await runGrid(args, io);
      } catch (e) {
        // A bad knob name or value is bad input (exit 2), like a bad flag.
        if (e instanceof ParamError) throw new UsageError(e.message);
        throw e;
      }
    },
  },
];
