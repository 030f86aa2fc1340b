/**
 * Slurm integration: a real single-node cluster (slurm-cluster.ts). A sweep of 8 points submitted as
 * a job array, collected into a fresh database, equal to the same sweep run locally; cross-validation
 * folds as an array (submitted by the notebook's sim.crossValidate), merged as `--collect` merges
 * them; and the notebook's sweep.run on Slurm. Skipped, with the reason, only where Slurm cannot be
 * installed (not root, no apt-get, apt failure).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { destroyPool } from '../sim/pool.js';
import { openStore } from '../store/db.js';
import { realBackend } from './backend.js';
import { loadMetrics, runSweep } from './engine.js';
import { collect, readManifest, submit, writeSlurmSweep } from './slurm.js';
import { ensureSlurmInstalled, startLocalCluster, waitForJob, type LocalCluster } from './slurm-cluster.js';
import { cliHas, writeRunStandIn } from './testing.js';
import type { SweepSpec } from './types.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import { runMany } from '../sim/pool.js';
import { crossValidate, foldsFor } from '../sim/calibrate/holdout.js';
import { collectCrossValidation, writeSlurmCrossValidation } from '../sim/calibrate/holdout-slurm.js';
import type { ServiceEvent } from '../contract/index.js';
import { Service } from '../service.js';
import { appRoot } from '../paths.js';

const dir = mkdtempSync(join(tmpdir(), 'rxlab-slurm-it-'));
let cluster: LocalCluster | undefined;
afterAll(async () => {
  await cluster?.stop();
  await destroyPool();
  rmSync(dir, { recursive: true, force: true });
});

const spec: SweepSpec = {
  system: 'LRO',
  workload: 'stream',
  set: { duration_s: 0.05, warmup_s: 0.01, flush_policy: 'every-k' },
  vary: [{ key: 'flush_every_polls', values: [1, 2, 3, 4] }],
  seeds: 2,
};

describe('sweep on a real single-node Slurm cluster', () => {
  it('submits 8 points as a job array, collects them into a fresh DB, equal to the local sweep', async (ctx) => {
    const why = ensureSlurmInstalled((m) => console.log(`slurm test: ${m}`));
    if (why) {
      console.warn(`SKIPPED Slurm integration test: ${why}`);
      ctx.skip(`Slurm cannot be installed here: ${why}`);
      return;
    }
    const t0 = Date.now();
    cluster = await startLocalCluster(join(dir, 'cluster'), (m) => console.log(`slurm test: ${m}`));
    const out = join(dir, 'sweep');
    const backend = realBackend();
    // Tasks run `rxlab run` once it is registered in the CLI; until then a stand-in calling the same runSimulation.
    const runner = cliHas('run') ? undefined : writeRunStandIn(dir);
    const { script, manifest } = writeSlurmSweep(backend, spec, out, runner ? { runner } : {});
    expect(manifest.points).toHaveLength(8);
    expect(readFileSync(script, 'utf8')).toContain('#SBATCH --array=0-7');
    const jobId = submit(script, cluster.env);
    await waitForJob(jobId, cluster.env, 90_000);

    // A partial file (a task killed mid-write) is ignored with a warning, never imported.
    writeFileSync(join(out, 'points', '7.json'), '{"model_version": "rxsim');
    const remote = openStore(join(dir, 'remote.db'));
    const warnings: string[] = [];
    const c1 = collect(remote, out, (m) => warnings.push(m));
    expect(c1.invalid.map((x) => x.index)).toEqual([7]);
    expect(warnings.join('\n')).toMatch(/7\.json: ignored/);
    expect(c1.imported).toBe(7);
    // Resumable: the task's output is back (rerun), a second collect imports only it, no duplicates.
    const line = readFileSync(join(out, 'tasks.tsv'), 'utf8').split('\n')[7] ?? '';
    const { runSimulation } = await import('../sim/run.js');
    const args = line.split('\t');
    const set: Record<string, string> = {};
    args.forEach((a, i) => {
      if (a === '--set') {
        const kv = args[i + 1] ?? '';
        set[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
      }
    });
    const p7 = manifest.points[7];
    if (!p7) throw new Error('no point 7');
    writeFileSync(join(out, 'points', '7.json'), JSON.stringify(runSimulation({ system: p7.system, seed: p7.seed, workload: p7.workload, set })));
    const c2 = collect(remote, out);
    expect(c2.imported).toBe(1);
    expect(c2.alreadyStored).toBe(7);
    expect(c2.missing).toEqual([]);
    const c3 = collect(remote, out);
    expect(c3.imported).toBe(0);
    expect(remote.prepare('SELECT COUNT(*) FROM run').pluck().get()).toBe(8);
    expect(remote.pragma('integrity_check', { simple: true })).toBe('ok');

    // The same sweep locally, same seeds, into another fresh DB: same keys, same metrics.
    const local = openStore(join(dir, 'local.db'));
    const r = await runSweep(local, backend, spec);
    expect(r.simulated).toBe(8);
    const keys = readManifest(out).points.map((p) => p.key);
    const metricsOf = (db: typeof local): Record<string, Record<string, number | null>> => {
      const out2: Record<string, Record<string, number | null>> = {};
      for (const k of keys) {
        const id = db.prepare('SELECT id FROM run WHERE cache_key = ?').pluck().get(k) as number | undefined;
        expect(id, k).toBeDefined();
        out2[k] = loadMetrics(db, [id as number]).get(id as number) ?? {};
      }
      return out2;
    };
    const a = metricsOf(remote);
    const b = metricsOf(local);
    expect(Object.keys(a['' + keys[0]] ?? {}).length).toBeGreaterThan(10);
    expect(a).toEqual(b);
    expect(c3.points.map((p) => p.metrics['throughput_mbps'])).toEqual(r.points.map((p) => p.metrics['throughput_mbps']));
    remote.close();
    local.close();
    await cluster.stop();
    cluster = undefined;
    console.log(`slurm test: cluster start → array of 8 → collect → stop in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 240_000);

  it('cross-validation folds as a job array (the notebook’s sim.crossValidate on Slurm), merged by --collect into the report the local run gives', async (ctx) => {
    const why = ensureSlurmInstalled((m) => console.log(`slurm test: ${m}`));
    if (why) {
      console.warn(`SKIPPED Slurm cross-validation test: ${why}`);
      ctx.skip(`Slurm cannot be installed here: ${why}`);
      return;
    }
    const t0 = Date.now();
    cluster ??= await startLocalCluster(join(dir, 'cluster-cv'), (m) => console.log(`slurm test: ${m}`));
    const out = join(dir, 'crossval');
    const folds = foldsFor('tables');
    const { script, manifest } = writeSlurmCrossValidation(folds, 'tables', out, { rounds: 11, seeds: 1, cpus: 1 });
    expect(manifest.folds.map((f) => f.spec)).toEqual(['IV', 'V', 'VI', 'VII']);
    expect(readFileSync(script, 'utf8')).toContain('#SBATCH --array=0-3');
    expect(readFileSync(join(out, 'tasks.tsv'), 'utf8').split('\n')[0]).toBe('calibrate\t--holdout\tIV\t--rounds\t11\t--seeds\t1\t--json');
    // nothing finished yet: nothing to merge, every fold missing
    expect(collectCrossValidation(out)).toMatchObject({ report: null, finished: 0, missing: [0, 1, 2, 3] });

    // The Compare cell's panel on Slurm (sim.crossValidate, on: 'slurm') submits the same job array
    // (one Slurm run of the folds serves both paths): progress per fold, and the report.
    const conf = process.env['SLURM_CONF'];
    process.env['SLURM_CONF'] = cluster.env['SLURM_CONF'];
    const app = new Service({ dbPath: join(dir, 'app-cv', 'db.sqlite'), host: 'browser' });
    const said: string[] = [];
    let viaApp: unknown;
    try {
      const stop = app.onEvent((e) => {
        if (e.type === 'progress' && e.jobId === 'cv-slurm' && e.message !== undefined) said.push(e.message);
      });
      viaApp = await app.invoke('sim.crossValidate', { jobId: 'cv-slurm', folds: 'tables', rounds: 11, seeds: 1, on: 'slurm', sbatch: ['--time=00:30:00'] });
      stop();
    } finally {
      app.close();
      if (conf === undefined) delete process.env['SLURM_CONF'];
      else process.env['SLURM_CONF'] = conf;
    }
    expect(said[0]).toMatch(/^Slurm job \d+: 0 of 4 folds finished \(folder .*slurm\/crossval-/);
    expect(said.at(-1)).toMatch(/^Slurm job \d+: 4 of 4 folds finished; reading them/);
    const jobDir = /\(folder (.+)\)$/.exec(said[0] ?? '')?.[1] ?? '';
    expect(readFileSync(join(jobDir, 'tasks.tsv'), 'utf8')).toBe(readFileSync(join(out, 'tasks.tsv'), 'utf8'));

    // The same cross-validation on this machine's pool: the same report, cell for cell.
    const local = await crossValidate(folds, (reqs: RunRequest[]) => runMany<RunRequest, RunResult>('sim', reqs), { rounds: 11, seeds: [1] }, 'tables');
    // …and says which job fitted them, with the options given, so the panel can repeat it
    expect(viaApp).toEqual({ ...local, slurm: { job: expect.stringMatching(/^\d+$/), folder: jobDir, sbatch: ['--time=00:30:00'] } });

    // `rxlab calibrate --collect` on those folds: a damaged fold file is reported and left out; the others are merged.
    const f3 = join(jobDir, 'folds', '3.json');
    const good = readFileSync(f3, 'utf8');
    writeFileSync(f3, '{"cells": [');
    const partial = collectCrossValidation(jobDir);
    expect(partial.invalid.map((i) => i.index)).toEqual([3]);
    expect(partial.report?.folds.map((f) => f.fold)).toEqual(['Table IV', 'Table V', 'Table VI']);
    writeFileSync(f3, good);
    const merged = collectCrossValidation(jobDir);
    expect(merged).toMatchObject({ finished: 4, total: 4, missing: [], invalid: [] });
    expect(merged.report).toEqual(local);
    await cluster.stop();
    cluster = undefined;
    console.log(`slurm test: cross-validation, 4 folds as an array → collect in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 300_000);

  it('the notebook’s sweep.run on Slurm: submitted, counted as runs land, collected into the store, equal to the local sweep; cancellable; a job that ends short keeps what finished; the profile panel’s multipliers as tasks; and the fit to a log as one task whose set is saved here', async (ctx) => {
    const why = ensureSlurmInstalled((m) => console.log(`slurm test: ${m}`));
    if (why) {
      console.warn(`SKIPPED Slurm sweep.run test: ${why}`);
      ctx.skip(`Slurm cannot be installed here: ${why}`);
      return;
    }
    const t0 = Date.now();
    // the grid above as the notebook's Sweep cell sends it
    const api = { system: spec.system, workload: spec.workload, set: spec.set as Record<string, string | number | boolean>, vary: spec.vary, seeds: spec.seeds };
    cluster ??= await startLocalCluster(join(dir, 'cluster-app'), (m) => console.log(`slurm test: ${m}`));
    const conf = process.env['SLURM_CONF'];
    process.env['SLURM_CONF'] = cluster.env['SLURM_CONF'];
    const app = new Service({ dbPath: join(dir, 'app', 'db.sqlite'), host: 'browser' });
    const here = new Service({ dbPath: join(dir, 'here', 'db.sqlite'), host: 'browser' });
    try {
      expect((await app.invoke('slurm.status', {})).sbatch).toMatch(/sbatch$/);
      // options go into the job script: one each, no spaces
      const bad = await app.call('sweep.run', { ...api, on: 'slurm', sbatch: ['--time=1 --wrap=x'] });
      expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      const refused = await app.call('sweep.run', { ...api, on: 'slurm', sbatch: ['--partition=nosuchpartition'] });
      expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^sbatch refused the job: .*partition/i) } });

      const events: ServiceEvent[] = [];
      const stop = app.onEvent((e) => {
        if ('jobId' in e && e.jobId === 'slurm-1') events.push(e);
      });
      const remote = await app.invoke('sweep.run', { jobId: 'slurm-1', ...api, on: 'slurm', sbatch: ['--time=00:10:00'] });
      stop();
      const said = events.flatMap((e) => (e.type === 'progress' && e.message !== undefined ? [e.message] : []));
      expect(said[0]).toMatch(/^Slurm job \d+: 0 of 8 runs finished \(folder .*slurm\/sweep-/);
      expect(said.some((m) => /^Slurm job \d+: 8 of 8 runs finished; reading them/.test(m))).toBe(true);
      // every run came from Slurm into the store; the sweep itself simulated nothing
      expect(remote.cachedRuns).toBe(8);
      expect(remote.slurm).toMatchObject({ job: expect.stringMatching(/^\d+$/), runs: 8, folder: expect.stringMatching(/slurm\/sweep-/) });
      const local = await here.invoke('sweep.run', { ...api });
      expect(local.cachedRuns).toBe(0);
      expect(remote.points.map((p) => p.metrics['throughput_mbps'])).toEqual(local.points.map((p) => p.metrics['throughput_mbps']));
      // all stored: a second Slurm sweep submits nothing
      const events2: ServiceEvent[] = [];
      const stop2 = app.onEvent((e) => {
        if ('jobId' in e && e.jobId === 'slurm-2') events2.push(e);
      });
      const again = await app.invoke('sweep.run', { jobId: 'slurm-2', ...api, on: 'slurm' });
      expect(again.cachedRuns).toBe(8);
      expect(again.slurm).toBeUndefined();
      stop2();
      expect(events2.some((e) => e.type === 'progress' && /Slurm job/.test(e.message ?? ''))).toBe(false);
      // a third seed: only its 4 runs go to Slurm
      const events4: ServiceEvent[] = [];
      const stop4 = app.onEvent((e) => {
        if ('jobId' in e && e.jobId === 'slurm-4') events4.push(e);
      });
      const more = await app.invoke('sweep.run', { jobId: 'slurm-4', ...api, seeds: 3, on: 'slurm' });
      stop4();
      expect(more.cachedRuns).toBe(12);
      expect(more.slurm?.runs).toBe(4);
      expect(events4.flatMap((e) => (e.type === 'progress' && e.message !== undefined ? [e.message] : []))[0]).toMatch(/^Slurm job \d+: 0 of 4 runs finished/);

      // Cancel: the job is scancelled and leaves the queue
      const long = app.call('sweep.run', { jobId: 'slurm-3', ...api, set: { ...api.set, duration_s: 30 }, on: 'slurm' });
      let jobNo = '';
      const stop3 = app.onEvent((e) => {
        const m = 'message' in e ? /^Slurm job (\d+)/.exec(e.message ?? '') : null;
        if (m) jobNo = m[1] ?? '';
      });
      while (jobNo === '') await new Promise((r) => setTimeout(r, 100));
      stop3();
      expect(app.cancel('slurm-3')).toBe(true);
      expect(await long).toMatchObject({ ok: false, error: { code: 'cancelled' } });
      await waitForJob(jobNo, cluster.env, 30_000);

      // A job that ends with runs missing: the finished runs are stored, and the error quotes the
      // first task log. The job is submitted held, two lines of its tasks.tsv are broken, then it is released.
      const broken = { ...api, set: { ...api.set, warmup_s: 0.03 }, seeds: 1, on: 'slurm' as const, sbatch: ['--hold'] };
      let folder = '';
      const stop6 = app.onEvent((e) => {
        const m = 'message' in e && e.jobId === 'slurm-6' ? /^Slurm job (\d+): .*\(folder (.+)\)$/.exec(e.message ?? '') : null;
        if (m && folder === '') {
          folder = m[2] ?? '';
          const tasks = join(folder, 'tasks.tsv');
          const lines = readFileSync(tasks, 'utf8').trim().split('\n');
          writeFileSync(tasks, `${lines.map((l, i) => (i < 2 ? l : l.replace(/\t--system\t\w+/, '\t--system\tNope'))).join('\n')}\n`);
          const r = spawnSync('scontrol', ['release', m[1] ?? ''], { env: { ...process.env, ...cluster?.env }, encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`scontrol release: ${r.stderr}`);
        }
      });
      const failed = await app.call('sweep.run', { jobId: 'slurm-6', ...broken });
      stop6();
      expect(failed).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Slurm job \d+ ended with 2 of 4 runs missing; the 2 finished are kept\. First task log \(logs\/\d+_\d\.out\): rxlab run: --system: expected one of .*got "Nope".* Folder: /) } });
      // the two that finished are in the store: the same sweep here simulates only the other two
      const { sbatch: _sb, on: _on, ...localBroken } = broken;
      expect((await app.invoke('sweep.run', localBroken)).cachedRuns).toBe(2);

      // The profile panel on Slurm: one task per multiplier, merged in the order asked, equal to the local profile
      const told: string[] = [];
      const stop5 = app.onEvent((e) => {
        if (e.type === 'progress' && e.jobId === 'slurm-5' && e.message !== undefined) told.push(e.message);
      });
      const ask = { knobs: ['pirq', 'gcopy'] as ('pirq' | 'gcopy')[], grid: [2], rounds: 11 };
      const profiled = await app.invoke('sim.profile', { jobId: 'slurm-5', ...ask, on: 'slurm' });
      stop5();
      expect(told[0]).toMatch(/^Slurm job \d+: 0 of 2 multipliers finished \(folder .*slurm\/profile-/);
      expect(profiled.profiles.map((p) => [p.knob, p.points.map((q) => q.factor)])).toEqual([
        ['pirq', [1, 2]],
        ['gcopy', [1, 2]],
      ]);
      expect(profiled).toEqual({ ...(await here.invoke('sim.profile', ask)), slurm: { job: expect.stringMatching(/^\d+$/), folder: expect.stringMatching(/slurm\/profile-/), sbatch: [] } });

      // "Fit the model to these measurements" on Slurm: one task, on the CPUs asked for; the set is saved here
      const log = readFileSync(join(appRoot(), '..', 'shared', 'real-logs', 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'));
      const imp = await app.invoke('log.import', { fileName: 'stream.txt', dataBase64: log.toString('base64') });
      const fitAsk = { name: 'cluster-fit', sources: [{ system: 'Xen' as const, fileIds: [imp.file.id] }], maxEvals: 5, on: 'slurm' as const, sbatch: ['--cpus-per-task=1'] };
      const fitSaid: string[] = [];
      const stop7 = app.onEvent((e) => {
        if (e.type === 'progress' && e.jobId === 'slurm-7' && e.message !== undefined) fitSaid.push(e.message);
      });
      const fitted = await app.invoke('params.calibrate', { jobId: 'slurm-7', ...fitAsk });
      stop7();
      expect(fitSaid.some((m) => /^Slurm job \d+: 0 of 1 fits finished \(folder .*slurm\/fit-/.test(m))).toBe(true);
      expect(fitted.saved?.name).toBe('cluster-fit');
      expect(fitted.slurm).toMatchObject({ job: expect.stringMatching(/^\d+$/), sbatch: ['--cpus-per-task=1'] });
      expect(readFileSync(join(fitted.slurm?.folder ?? '', 'fit.sbatch'), 'utf8')).toMatch(/#SBATCH --cpus-per-task=2\n(.*\n)*#SBATCH --cpus-per-task=1\n/);
      expect((await app.invoke('params.list', {})).map((p) => p.name)).toContain('cluster-fit');
      // the name is taken now: refused before anything is submitted
      expect(await app.call('params.calibrate', fitAsk)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/"cluster-fit" exists already .*nothing was submitted/) } });
    } finally {
      app.close();
      here.close();
      if (conf === undefined) delete process.env['SLURM_CONF'];
      else process.env['SLURM_CONF'] = conf;
      await cluster?.stop();
      cluster = undefined;
    }
    console.log(`slurm test: the notebook's sweep on Slurm, 8 runs, collected, then a cancelled one, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 300_000);
});
