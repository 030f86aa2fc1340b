/**
 * CLI subcommands of the simulator: `run`, `reproduce`, `calibrate`.
 * Bad input exits 2 with a message naming the flag or knob; misfits are results, not errors (exit 0).
 */
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import type { CliIO, CommandSpec } from '../cli-types.js';
import { intFlag, numFlag, progressLine, UsageError } from '../cli-args.js';
import { csvRows } from '../contract/csv.js';
import { PARAM_SPECS, ParamError, parseSetArgs, type ParamSpec } from './params.js';
import { formatReproduce, reproduce } from './reproduce.js';
import { reproduceMarkdown } from './reproduce-markdown.js';
import { runManyWatched } from './pool.js';
import { runSimulation } from './run.js';
import { readParamsFileKeys } from './params-file.js';
import { presetParams } from './systems.js';
import { SYSTEM_NAMES, type RunRequest, type RunResult, type SimOverTime, type SystemName } from './types.js';

/** Bad flags or knobs (ours, or node:util parseArgs's) answer exit 2 with one line; anything else propagates. */
function fail(io: CliIO, name: string, e: unknown): number {
  const badArgs = e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS');
  if (e instanceof UsageError || e instanceof ParamError || badArgs) {
    io.err(`rxlab ${name}: ${(e as Error).message}\n`);
    return 2;
  }
  throw e;
}

/** Runs on the worker pool, cancelled by Ctrl+C; `quiet` leaves progress to the caller. */
async function poolRunner(io: CliIO, quiet = false): Promise<(reqs: RunRequest[]) => Promise<RunResult[]>> {
  const { runMany } = await import('./pool.js');
  // Calibration hands a whole CMA-ES generation to the pool at once: each batch listens on the
  // signal, so more than Node's default of 10 listeners is expected here.
  setMaxListeners(64, io.signal);
  return (reqs) =>
    runMany<RunRequest, RunResult>('sim', reqs, {
      signal: io.signal,
      onProgress: (done, total) => {
        if (quiet) return;
        // a live counter on a terminal; one closing line otherwise, so logs stay readable
        if (process.stderr.isTTY && done < total) io.err(`\r  ${done}/${total} runs`);
        else if (done === total) io.err(`${process.stderr.isTTY ? '\r' : ''}  ${total} runs done\n`);
      },
    });
}

async function closePool(): Promise<void> {
  const { destroyPool } = await import('./pool.js');
  await destroyPool();
}

/**
 * TCP_RR moves one byte each way, so cycles per byte say little there: the CPU time each
 * transaction costs, by domain and by function, is what sets the round trip (the rest of it is the
 * client and the wire, `l_ext_us`).
 */
function rrCpuUs(r: RunResult): { perTx: (cycles: number) => number; byDomain: Map<string, number>; total: number } | null {
  const transactions = (r.rr_transactions_per_s ?? 0) * r.simulated_s;
  const ghz = Number(r.parameters['cpu_ghz']);
  if (r.workload !== 'rr' || !(transactions > 0) || !(ghz > 0)) return null;
  const perTx = (cycles: number): number => cycles / transactions / (ghz * 1e3);
  const byDomain = new Map<string, number>();
  for (const c of r.cycles_by_function) byDomain.set(c.domain, (byDomain.get(c.domain) ?? 0) + perTx(c.cycles));
  return { perTx, byDomain, total: [...byDomain.values()].reduce((a, b) => a + b, 0) };
}

/**
 * A run that delivered nothing in its window is a result (a what-if can starve the receiver), but a
 * 0 beside the other figures reads like a broken model: say what the window saw and what to try.
 */
function nothingDelivered(r: RunResult): string[] {
  const none = r.workload === 'rr' ? (r.rr_transactions_per_s ?? 0) === 0 : r.throughput_mbps === 0;
  if (!none) return [];
  const drops = r.drops.nic_ring + r.drops.vif_queue + r.drops.tcp_out_of_order + r.diagnostics.warmup_drops;
  return [
    `  note              nothing was delivered in the ${r.simulated_s} s measured${
      drops > 0 ? `: after ${drops} drops the ${r.workload === 'rr' ? 'client' : 'sender'} waits for its retransmission timer (0.2–0.4 s), so a longer duration_s shows the rate it recovers to` : ''
    }`,
  ];
}

/** How the sender (or client) recovered its losses: a timeout costs 0.2–0.4 s, a fast retransmit about a round trip. */
function recovery(r: RunResult): string[] {
  const d = r.diagnostics;
  if (d.retransmitted_segments === 0 && d.fast_retransmits === 0 && d.retransmission_timeouts === 0) return [];
  const who = r.workload === 'rr' ? 'client' : 'sender';
  return [`  recovery          ${d.retransmitted_segments} segments resent by the ${who}: ${d.fast_retransmits} fast retransmit${d.fast_retransmits === 1 ? '' : 's'}, ${d.retransmission_timeouts} timeout${d.retransmission_timeouts === 1 ? '' : 's'} (0.2–0.4 s each)`];
}

/** What the run was given beyond its system and seed, so that a saved text output names its inputs. */
export interface RunInputs {
  set: Record<string, string | number | boolean>;
  paramsFile?: string;
}

function formatRun(r: RunResult, inputs: RunInputs = { set: {} }): string {
  const f = (v: number | null, d = 2): string => (v === null ? '—' : v.toFixed(d));
  const rr = rrCpuUs(r);
  const knobs = Object.entries(inputs.set).map(([k, v]) => `${k}=${String(v)}`);
  const lines = [
    `${r.system} ${r.workload}, seed ${r.seed}, model ${r.model_version}, ${r.simulated_s} s simulated (${r.events} events)`,
    ...(inputs.paramsFile === undefined ? [] : [`  parameter set     ${inputs.paramsFile} (in place of the calibrated set)`]),
    ...(knobs.length === 0 ? [] : [`  knobs set         ${knobs.join(', ')}`]),
    r.workload === 'rr'
      ? `  TCP_RR            ${f(r.rr_transactions_per_s, 0)} transactions/s (round trip ${f(r.rr_transactions_per_s ? 1e6 / r.rr_transactions_per_s : null, 1)} µs)`
      : `  throughput        ${f(r.throughput_mbps, 1)} Mbit/s`,
    rr === null
      ? `  cycles/byte       driver ${f(r.cycles_per_byte.driver)}  guest ${f(r.cycles_per_byte.guest)}  total ${f(r.cycles_per_byte.total)}  (hypervisor ${f(r.diagnostics.xen_cycles_per_byte)} apart)`
      : `  CPU/transaction   ${[...rr.byDomain].map(([d, us]) => `${d} ${us.toFixed(1)} µs`).join(', ')}; total ${rr.total.toFixed(1)} µs (client and wire: the rest)`,
    `  LRO rate          ${f(r.lro_rate)} packets/aggregate${r.diagnostics.netfront_lro_rate === null ? '' : `; netfront ${f(r.diagnostics.netfront_lro_rate)} skbs/aggregate`}`,
    `  flush latency     ${r.flush_latency_us === null ? '—' : `mean ${f(r.flush_latency_us.mean, 1)} µs, p50 ${f(r.flush_latency_us.p50, 1)}, p99 ${f(r.flush_latency_us.p99, 1)}`}`,
    `  CPU busy          dom0 ${(r.cpu_busy_share.dom0 * 100).toFixed(1)} %, guest ${(r.cpu_busy_share.guest * 100).toFixed(1)} %, xen ${(r.cpu_busy_share.xen * 100).toFixed(1)} %, other guests ${(r.cpu_busy_share.other_guests * 100).toFixed(1)} %, idle ${(r.cpu_busy_share.idle * 100).toFixed(1)} %`,
    `  ACKs/segment      ${f(r.acks_per_segment, 3)}   drops: NIC ring ${r.drops.nic_ring}, vif queue ${r.drops.vif_queue}, TCP out-of-order ${r.drops.tcp_out_of_order}${r.diagnostics.warmup_drops > 0 ? ` (and ${r.diagnostics.warmup_drops} during the warm-up, left out)` : ''}`,
    ...recovery(r),
    ...nothingDelivered(r),
    `  top functions:${rr === null ? '' : ' (share, CPU µs per transaction)'}`,
    ...r.cycles_by_function
      .slice(0, 12)
      .map((c) => `    ${(c.share * 100).toFixed(1).padStart(5)} %  ${rr === null ? '' : `${rr.perTx(c.cycles).toFixed(2).padStart(6)} µs  `}${c.domain.padEnd(13)} ${c.function}`),
    ...(r.over_time === undefined ? [] : overTimeLines(r.over_time)),
  ];
  return lines.join('\n');
}

const SPARK = '▁▂▃▄▅▆▇█';
/** Values as a one-line bar chart of at most `width` characters (bucket means), scaled 0…max. */
function sparkline(values: readonly number[], width = 60): string {
  const per = Math.ceil(values.length / width);
  const means: number[] = [];
  for (let i = 0; i < values.length; i += per) {
    const b = values.slice(i, i + per);
    means.push(b.reduce((a, x) => a + x, 0) / b.length);
  }
  const max = Math.max(...means);
  return means.map((m) => SPARK[max > 0 ? Math.min(7, Math.floor((m / max) * 7.999)) : 0]).join('');
}

/** Simulated seconds from which `rxlab run` reports progress on stderr (about a quarter of a second of work here). */
const LONG_RUN_S = 5;

/** One run on the worker pool, its share of simulated time on stderr every second; the same result as in-process. */
async function runWithProgress(req: RunRequest, simulatedS: number, io: CliIO): Promise<RunResult> {
  const say = (done: number): void => io.err(`run: ${(done * 100).toFixed(0)} % of ${Number(simulatedS.toPrecision(6))} s simulated\n`);
  say(0); // at once: a long run is announced before it is under way
  // every second while it runs (the reading at the end, 100 %, is left out: the result follows)
  const [r] = await runManyWatched<RunRequest, RunResult>('sim', [req], { signal: io.signal, everyMs: 1000, onPartial: (done) => done < 1 && say(done) });
  return r as RunResult;
}

/** The trace as CSV, one row per interval (empty cells where a measure does not apply). */
function overTimeCsv(ot: SimOverTime): string {
  const c = ot.cpu_busy_share;
  const rows: unknown[][] = [['t_s', 'throughput_mbps', 'rr_transactions_per_s', 'lro_rate', 'cpu_dom0', 'cpu_guest', 'cpu_xen', 'cpu_other_guests']];
  ot.t_s.forEach((t, i) => rows.push([t, ot.throughput_mbps[i], ot.rr_transactions_per_s?.[i] ?? '', ot.lro_rate?.[i] ?? '', c.dom0[i], c.guest[i], c.xen[i], c.other_guests[i]]));
  return csvRows(rows);
}

/** rxlab run's over-time block: the whole run as a sparkline and the measured window's spread. */
function overTimeLines(ot: SimOverTime): string[] {
  const rate = ot.rr_transactions_per_s ?? ot.throughput_mbps;
  const unit = ot.rr_transactions_per_s ? 'transactions/s' : 'Mbit/s';
  const first = ot.t_s.findIndex((t) => t > ot.warmup_s + 1e-12);
  const measured = (first < 0 ? [] : rate.slice(first)).slice().sort((a, b) => a - b);
  const q = (p: number): string => (measured.length ? (measured[Math.min(measured.length - 1, Math.floor(p * measured.length))] as number).toFixed(0) : '—');
  return [
    `  over time         ${ot.t_s.length} intervals of ${ot.interval_ms} ms (--json for every value), warm-up to ${ot.warmup_s} s included:`,
    `    ${sparkline(rate)}  ${unit}, 0 to ${Math.max(...rate).toFixed(0)}`,
    `    after warm-up, per interval: min ${q(0)}, median ${q(0.5)}, max ${q(1)} ${unit}`,
  ];
}

/** Every knob with its kind, unit, allowed range and its value in the system's preset. */
function knobList(system: SystemName): Array<ParamSpec & { value: unknown }> {
  const p = presetParams(system);
  return PARAM_SPECS.map((s) => ({ ...s, value: p[s.name] }));
}

function formatKnobs(system: SystemName): string {
  const range = (k: ParamSpec): string => (k.values ? k.values.join(' | ') : k.kind === 'switch' ? 'on | off' : `${String(k.min)}–${String(k.max)}`);
  const value = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'on' : 'off') : typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v));
  const lines = [`Knobs of the shared parameter set, values as in the ${system} preset (set any with --set name=value):`, ''];
  for (const k of knobList(system)) {
    const unit = k.unit === '' || k.unit === 'on/off' ? '' : ` ${k.unit}`;
    lines.push(`  ${k.name.padEnd(22)} ${`${value(k.value)}${unit}`.padEnd(22)} [${range(k)}]`);
    lines.push(`      ${k.doc}`);
  }
  return lines.join('\n');
}

const runCommand: CommandSpec = {
  name: 'run',
  summary: 'Run one simulation of a system (TCP_STREAM or TCP_RR)',
  usage: `rxlab run --system NAME [--params-file FILE] [--set key=value …] [--seed N] [--workload stream|rr] [--json | --over-time-csv]
rxlab run --knobs [--system NAME] [--json]

  --system     one of ${SYSTEM_NAMES.join(', ')} (a preset of the shared parameter set)
  --params-file
               a whole parameter set as JSON ({"knob": value, …} or a saved set's {"params": {…}}) in
               place of the calibrated one (knobs it leaves out take the model's defaults, the priors);
               the system's switches and --set still apply on top
  --set        override a knob, e.g. --set flush_every_polls=2 --set lro=off (repeatable)
  --seed       random seed (default 1); the same inputs and seed give identical output
  --workload   stream (netperf TCP_STREAM, default) or rr (TCP_RR)
  --json       print the result as JSON (fields at top level plus "parameters")
  --over-time-csv
               print only the run over time as CSV, one row per interval (needs --set trace_ms=…),
               e.g. for gnuplot or a spreadsheet: t_s, throughput_mbps, rr_transactions_per_s,
               lro_rate, cpu_dom0, cpu_guest, cpu_xen, cpu_other_guests
  --knobs      list every knob: value in the preset (default Xen), unit, allowed range, meaning`,
  async run(args, io) {
    try {
      const { values } = parseArgs({
        args,
        options: {
          system: { type: 'string' },
          set: { type: 'string', multiple: true },
          'params-file': { type: 'string' },
          seed: { type: 'string' },
          workload: { type: 'string' },
          json: { type: 'boolean' },
          'over-time-csv': { type: 'boolean' },
          knobs: { type: 'boolean' },
        },
        allowPositionals: false,
      });
      const system = values.system ?? (values.knobs === true ? 'Xen' : undefined);
      if (system === undefined) throw new UsageError('--system is required');
      if (!(SYSTEM_NAMES as readonly string[]).includes(system)) {
        throw new UsageError(`--system: expected one of ${SYSTEM_NAMES.join(', ')}, got "${system}"`);
      }
      if (values.knobs === true) {
        if (values.set !== undefined || values.seed !== undefined || values.workload !== undefined || values['params-file'] !== undefined) throw new UsageError('--knobs takes only --system and --json');
        io.out(`${values.json === true ? JSON.stringify(knobList(system as SystemName), null, 2) : formatKnobs(system as SystemName)}\n`);
        return 0;
      }
      const workload = values.workload ?? 'stream';
      if (workload !== 'stream' && workload !== 'rr') throw new UsageError(`--workload: expected stream or rr, got "${workload}"`);
      const seed = intFlag('seed', values.seed, 1, 0, 2 ** 31 - 1);
      const set = parseSetArgs(values.set ?? []);
      const csv = values['over-time-csv'] === true;
      if (csv && values.json === true) throw new UsageError('--json and --over-time-csv exclude each other');
      const file = values['params-file'] === undefined ? undefined : readParamsFileKeys(values['params-file']);
      const base = file?.params;
      const req: RunRequest = { system: system as SystemName, set, seed, workload, ...(base === undefined ? {} : { parameterSet: base }) };
      const p = presetParams(req.system, base, set);
      // the system's switches sit on top of the file: a switch the file sets otherwise is not used, and says so
      const resolved = p as unknown as Record<string, unknown>;
      const fromFile = (base ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(file?.given ?? {})) {
        const used = resolved[k];
        if (!(k in set) && used !== undefined && JSON.stringify(used) !== JSON.stringify(fromFile[k])) {
          io.err(`rxlab run: note: --params-file sets ${k}=${JSON.stringify(v)}, but --system ${system} switches it to ${JSON.stringify(used)}; to run with the file's value, add --set ${k}=${String(v)}\n`);
        }
      }
      if (csv && !(p.trace_ms > 0)) throw new UsageError('--over-time-csv needs the run traced: add --set trace_ms=1 (an interval in ms)');
      // a long run goes to a worker thread, so this thread can say how far it is (and Ctrl+C stops it)
      const r = p.warmup_s + p.duration_s >= LONG_RUN_S ? await runWithProgress(req, p.warmup_s + p.duration_s, io) : runSimulation(req);
      io.out(csv ? overTimeCsv(r.over_time as SimOverTime) : `${values.json === true ? JSON.stringify(r, null, 2) : formatRun(r, { set, ...(values['params-file'] === undefined ? {} : { paramsFile: values['params-file'] }) })}\n`);
      return 0;
    } catch (e) {
      return fail(io, 'run', e);
    }
  },
};

const reproduceCommand: CommandSpec = {
  name: 'reproduce',
  summary: 'Simulate Tables IV–VII and compare them with the paper, cell by cell',
  usage: `rxlab reproduce [--json | --markdown] [--seeds N]

  --seeds     replications per system and workload (default 3); mean and 95 % Student-t interval
  --json      machine-readable result: systems, paper, cells, findings, misfits
  --markdown  the table and findings as Markdown (what the README quotes)
Cells outside tolerance (±3 %, LRO rate ±5 %) are listed as MISFITS; the exit code stays 0.`,
  async run(args, io) {
    try {
      const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, markdown: { type: 'boolean' }, seeds: { type: 'string' } } });
      if (values.json === true && values.markdown === true) throw new UsageError('--json and --markdown exclude each other');
      const seeds = intFlag('seeds', values.seeds, 3, 2, 100);
      const runner = await poolRunner(io);
      try {
        const r = await reproduce(seeds, runner);
        const text = values.json === true ? JSON.stringify(r, null, 2) : values.markdown === true ? reproduceMarkdown(r) : formatReproduce(r);
        io.out(`${text}\n`);
      } finally {
        await closePool();
      }
      return 0;
    } catch (e) {
      return fail(io, 'reproduce', e);
    }
  },
};

const calibrateCommand: CommandSpec = {
  name: 'calibrate',
  summary: 'Re-fit the cost-group multipliers to the paper tables and write calibrated-params.json',
  usage: `rxlab calibrate [--json] [--rounds N --out FILE]
rxlab calibrate --implied [--json] [--seeds N]
rxlab calibrate --sensitivity [--measured SYSTEM=ID,ID… …] [--params NAME] [--json] [--seeds N] [--step PCT | --morris R [--range F]]
rxlab calibrate --cross-validate [--folds systems|tables] [--rounds N] [--seeds N] [--json]
                [--slurm --out DIR [--submit] [--cpus N] [--sbatch=LINE …]]
rxlab calibrate --holdout SPEC [--rounds N] [--seeds N] [--json]
rxlab calibrate --collect DIR [--json]
rxlab calibrate --profile [--knobs K,K…] [--grid F,F…] [--rounds N] [--json]
                [--slurm --out DIR [--submit] [--cpus N] [--sbatch=LINE …]]

  --rounds       evaluation budget of stage C's CMA-ES search (default 1452 = 132 generations of
                 11; each evaluation runs all five systems on two seeds; 2–7 min on 2 cores, with the load);
                 another budget needs --out FILE: only the documented fit replaces the committed one
  --out FILE     write the fit to FILE instead of core/sim/calibrated-params.json (which stays as it is)
  --implied      do not fit: print the per-function costs that would make the simulated Table V
                 equal the paper's at the current model's event counts (open loop; writes nothing)
  --sensitivity  do not fit: the elasticity of every table cell to every fitted multiplier
                 (central differences, common seeds), then for each misfit the single knob and
                 the joint move (others held, least squares) that would close it, each simulated
                 to show what it costs the other cells (≈ 1,000 runs, under a minute; writes nothing)
  --measured     with --sensitivity: against the measured tables of these imported logs (repeatable,
                 one per testbed system; ids from rxlab import) instead of the paper
  --params NAME  with --sensitivity: around a saved parameter set (rxlab sweep params lists them)
                 instead of the calibration to the paper
  --seeds        replications for --implied and --sensitivity (default 3)
  --step         --sensitivity's relative step in % (default 10: × 1.1 and ÷ 1.1)
  --morris R     global instead of local: Morris screening, R trajectories (2–50; 8 is a good start,
                 ≈ 100 points) with each multiplier over ×/÷ F (--range, default 2): μ* (importance),
                 μ and σ of every multiplier's effect on every cell; no closure checks
  --cross-validate
                 do not write: re-run the whole calibration once per fold without that fold's
                 cells (--folds systems: leave one system out, 5 fits; tables: leave one of
                 Tables IV–VII out, 4 fits), run every cell on seeds 1–3, and print each cell's
                 error in sample (the committed calibration) beside its error held out
                 (a fold is as long as rxlab calibrate; --rounds shortens every fold)
  --holdout SPEC one such fold: SPEC is systems, tables (IV–VII) or TABLE:SYSTEM cells,
                 comma-separated (e.g. DA, VI, V:DA)
  --slurm --out DIR
                 with --cross-validate or --holdout, do not run: write DIR/manifest.json,
                 DIR/tasks.tsv and DIR/crossval.sbatch, a job array with one fold per task
                 (→ DIR/folds/i.json; --cpus per task, default 2; --sbatch=--time=2:00:00 adds an #SBATCH line);
                 with --profile, likewise one multiplier per task (DIR/profile.sbatch → DIR/profiles/i.json);
                 --submit submits it with sbatch
  --collect DIR  merge the finished folds (or profiles) of DIR into the cross-validation (or profile)
                 report (exit 3 while some are unfinished or invalid: run it again later)
  --profile      do not write: the objective along each of --knobs (default pirq, stack, irq_poll,
                 copy, gcopy, sender), held at --grid × the committed fit (default 0.5, 0.71, 1,
                 1.41, 2) while the other multipliers are refitted (--rounds per point, default 220,
                 from the committed fit): pinned, flat, or better away from the fit
  --json         print the fit (or implied-cost, sensitivity, cross-validation or profile) report as JSON
Without --implied, --sensitivity, --cross-validate, --holdout or --profile, writes core/sim/calibrated-params.json (and the copy next to the compiled
module) with the model version, the fitted multipliers, the full parameter set and the residual
of every cell.`,
  async run(args, io) {
    try {
      const { values } = parseArgs({
        args,
        options: {
          json: { type: 'boolean' },
          rounds: { type: 'string' },
          implied: { type: 'boolean' },
          sensitivity: { type: 'boolean' },
          measured: { type: 'string', multiple: true },
          params: { type: 'string' },
          seeds: { type: 'string' },
          step: { type: 'string' },
          morris: { type: 'string' },
          range: { type: 'string' },
          'cross-validate': { type: 'boolean' },
          folds: { type: 'string' },
          holdout: { type: 'string' },
          profile: { type: 'boolean' },
          slurm: { type: 'boolean' },
          out: { type: 'string' },
          submit: { type: 'boolean' },
          cpus: { type: 'string' },
          sbatch: { type: 'string', multiple: true },
          collect: { type: 'string' },
          knobs: { type: 'string' },
          grid: { type: 'string' },
        },
      });
      if (values.profile !== true && (values.knobs !== undefined || values.grid !== undefined)) throw new UsageError('--knobs and --grid go with --profile');
      if (values.profile === true) {
        const other = ['implied', 'sensitivity', 'cross-validate', 'holdout', 'seeds'].find((k) => values[k as keyof typeof values] !== undefined);
        if (other !== undefined) throw new UsageError(`--profile does not go with --${other}`);
      }
      if (values.collect !== undefined) {
        const other = Object.keys(values).find((k) => k !== 'collect' && k !== 'json');
        if (other !== undefined) throw new UsageError(`--collect takes only --json (not --${other})`);
        const { isProfileJob } = await import('./calibrate/profile-slurm.js');
        if (isProfileJob(values.collect)) {
          const { collectProfileCommand } = await import('./calibrate/profile-cli.js');
          return collectProfileCommand(values.collect, values.json === true, io);
        }
        const { collectCommand } = await import('./calibrate/holdout-cli.js');
        return collectCommand(values.collect, values.json === true, io);
      }
      // a plain calibration may write elsewhere (--out FILE); the other --out is the Slurm job's folder
      const plainFit = values.implied !== true && values.sensitivity !== true && values['cross-validate'] !== true && values.holdout === undefined && values.profile !== true;
      const slurmOnly = (['out', 'submit', 'cpus', 'sbatch'] as const).find((k) => values[k] !== undefined && !(k === 'out' && plainFit && values.slurm !== true));
      if (values.slurm !== true && slurmOnly !== undefined) throw new UsageError(`--${slurmOnly} goes with --slurm`);
      if (values.slurm === true && values['cross-validate'] !== true && values.holdout === undefined && values.profile !== true) throw new UsageError('--slurm goes with --cross-validate, --holdout or --profile');
      if (values.slurm === true && values.out === undefined) throw new UsageError('--slurm needs --out DIR');
      const cv = values['cross-validate'] === true ? '--cross-validate' : values.holdout !== undefined ? '--holdout' : undefined;
      if (values['cross-validate'] === true && values.holdout !== undefined) throw new UsageError('--cross-validate and --holdout exclude each other (--holdout is one fold)');
      if (cv !== undefined && (values.implied === true || values.sensitivity === true)) throw new UsageError(`${cv} does not go with ${values.implied === true ? '--implied' : '--sensitivity'}`);
      if (values.folds !== undefined && values['cross-validate'] !== true) throw new UsageError('--folds goes with --cross-validate');
      if (values.folds !== undefined && values.folds !== 'systems' && values.folds !== 'tables') throw new UsageError(`--folds: expected systems or tables, got "${values.folds}"`);
      const diag = values.implied === true ? '--implied' : values.sensitivity === true ? '--sensitivity' : undefined;
      if (values.implied === true && values.sensitivity === true) throw new UsageError('--implied and --sensitivity exclude each other');
      if (diag === undefined && cv === undefined && values.seeds !== undefined) throw new UsageError('--seeds goes with --implied, --sensitivity, --cross-validate or --holdout');
      if (values.sensitivity !== true && values.step !== undefined) throw new UsageError('--step goes with --sensitivity');
      if (values.sensitivity !== true && (values.morris !== undefined || values.range !== undefined)) throw new UsageError('--morris and --range go with --sensitivity');
      if (values.morris !== undefined && values.step !== undefined) throw new UsageError('--step is the local analysis\'s; --morris moves each multiplier over --range');
      if (values.morris === undefined && values.range !== undefined) throw new UsageError('--range goes with --morris');
      if (values.sensitivity !== true && values.params !== undefined) throw new UsageError('--params goes with --sensitivity');
      if (values.sensitivity !== true && values.measured !== undefined) throw new UsageError('--measured goes with --sensitivity (to fit your logs: rxlab sweep calibrate)');
      if (diag !== undefined && values.rounds !== undefined) throw new UsageError(`--rounds does not go with ${diag} (nothing is fitted)`);
      // Without --rounds, runCalibration's own default budget (STAGE_C_EVALS).
      const rounds = values.rounds === undefined ? undefined : intFlag('rounds', values.rounds, 0, 11, 100000);
      const seeds = intFlag('seeds', values.seeds, 3, 1, 100);
      const step = numFlag('step', values.step, 10, 0.5, 50);
      const runner = await poolRunner(io, values.implied !== true);
      try {
        if (values.sensitivity === true) {
          const { sensitivityCommand } = await import('./calibrate/sensitivity-cli.js');
          return await sensitivityCommand(values, io, runner, seeds, step);
        }
        if (values.profile === true) {
          const { profileCommand } = await import('./calibrate/profile-cli.js');
          return await profileCommand(values, io, runner, rounds);
        }
        if (cv !== undefined) {
          const { holdoutCommand } = await import('./calibrate/holdout-cli.js');
          return await holdoutCommand(values, io, runner, seeds, rounds);
        }
        if (values.implied === true) {
          const { impliedCosts, formatImplied } = await import('./calibrate/implied.js');
          const { PAPER } = await import('../reference/paper.js');
          const rep = await impliedCosts(PAPER, runner, Array.from({ length: seeds }, (_, i) => i + 1));
          io.out(`${values.json === true ? JSON.stringify(rep, null, 2) : formatImplied(rep)}\n`);
          return 0;
        }
        const { runCalibration, STAGE_C_EVALS } = await import('./calibrate/run-calibration.js');
        const budget = rounds ?? STAGE_C_EVALS;
        // The committed calibration is the documented fit, which anyone can re-run and get byte for byte;
        // a shorter or longer search would silently change every later run's parameters and model version.
        if (budget !== STAGE_C_EVALS && values.out === undefined) {
          throw new UsageError(`--rounds ${budget} is not the documented budget (${STAGE_C_EVALS}), so it does not replace core/sim/calibrated-params.json: give --out FILE to write this fit there instead`);
        }
        io.err(`rxlab calibrate: stage B (open loop, from the documented start point), then stage C (CMA-ES, ${budget} evaluations of five systems on two seeds)\n`);
        const line = progressLine(io, 10);
        const out = await runCalibration(rounds, runner, (evals, f) => line.say(`  stage C: ${evals}/${budget} evaluations, best objective ${f.toFixed(2)}`, evals, budget), values.out);
        line.end();
        io.out(`${values.json === true ? JSON.stringify(out.report, null, 2) : out.text}\n`);
      } finally {
        await closePool();
      }
      return 0;
    } catch (e) {
      return fail(io, 'calibrate', e);
    }
  },
};

export const simCommands: CommandSpec[] = [runCommand, reproduceCommand, calibrateCommand];
