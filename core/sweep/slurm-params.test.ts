import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../cli-capture.js';
import { simCommands } from '../sim/commands.js';
import { calibratedParams } from '../sim/systems.js';
import type { Db } from '../store/db.js';
import { useTempDb } from '../store/temp-db.js';
import { realBackend } from './backend.js';
import { keyOfResult, runSweep } from './engine.js';
import { collect, findRunResult, writeSlurmSweep } from './slurm.js';
import type { SweepSpec } from './types.js';

const run = simCommands.find((c) => c.name === 'run')!;
let dir = '';
let db: Db;
useTempDb('rxlab-slurm-params-', (d, x) => ((dir = d), (db = x)));

describe('a sweep of a saved parameter set on Slurm (no cluster: the tasks are run here)', () => {
  it('hands the set to every task as params.json; the tasks’ results are the local sweep’s runs', async () => {
    const parameterSet = { ...calibratedParams(), c_pirq: calibratedParams().c_pirq * 0.7 };
    const spec: SweepSpec = { system: 'LRO', workload: 'stream', set: { duration_s: 0.02, warmup_s: 0.01 }, vary: [{ key: 'flush_every_polls', values: [1, 2] }], seeds: 1, parameterSet };
    const out = join(dir, 'job');
    const { manifest } = writeSlurmSweep(realBackend(), spec, out, { parameterSetName: 'mine' });
    expect(JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'))).toEqual(parameterSet);
    // the set is written once, not into every point
    expect(manifest.points.every((p) => !('parameterSet' in p))).toBe(true);
    const lines = readFileSync(join(out, 'tasks.tsv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) {
      const args = line.split('\t');
      expect(args.slice(args.indexOf('--params-file'), args.indexOf('--params-file') + 2)).toEqual(['--params-file', join(out, 'params.json')]);
      const io = captureIO();
      expect(await run.run(args.slice(1), io)).toBe(0);
      const result = findRunResult(JSON.parse(io.outText))!;
      expect(result.parameters['c_pirq']).toBe(parameterSet.c_pirq);
      expect(keyOfResult(result, manifest.points[i]!.system, 'stream', 1)).toBe(manifest.points[i]?.key);
      writeFileSync(join(out, 'points', `${i}.json`), io.outText);
    }
    expect(collect(db, out)).toMatchObject({ imported: 2, keyMismatch: [], invalid: [] });
    // labelled with the set's name, as a local sweep's runs are (`rxlab runs --search mine` finds them)
    expect(db.prepare('SELECT DISTINCT label FROM run').pluck().all()).toEqual(['sweep (slurm) · parameter set mine']);
    // the local sweep of the same set finds both runs stored
    expect((await runSweep(db, realBackend(), spec)).simulated).toBe(0);
  });

  it('a result of other parameters is named by the knobs that differ; a task that left only its .part points to its output', async () => {
    const spec: SweepSpec = { system: 'LRO', workload: 'stream', set: { duration_s: 0.02, warmup_s: 0.01 }, vary: [{ key: 'mtu', values: [1500, 1400] }], seeds: 1 };
    const out = join(dir, 'job2');
    const { manifest } = writeSlurmSweep(realBackend(), spec, out);
    const io = captureIO();
    // task 0's file holds a run of another MTU (a copied file, a hand edit)
    expect(await run.run(['--system', 'LRO', '--seed', '1', '--set', 'duration_s=0.02', '--set', 'warmup_s=0.01', '--set', 'mtu=9000', '--json'], io)).toBe(0);
    writeFileSync(join(out, 'points', '0.json'), io.outText);
    writeFileSync(join(out, 'points', '1.json.part'), '{');
    writeFileSync(join(out, 'logs', '77_1.out'), 'killed\n');
    const warnings: string[] = [];
    expect(collect(db, out, (m) => warnings.push(m))).toMatchObject({ keyMismatch: [0], missing: [1] });
    expect(manifest.points[0]?.values).toEqual({ mtu: 1500 });
    expect(warnings.join('\n')).toContain('its parameters differ from what task 0 asked for: mtu 9000 (asked 1500)');
    expect(warnings.join('\n')).toContain(`points/1.json.part: task 1 is running or died mid-write; ignored (its output: ${join('logs', '77_1.out')})`);
  });

  it('rxlab run --params-file names the file and the fault', async () => {
    const bad = join(dir, 'bad.json');
    const cases: [string, RegExp][] = [
      ['{"c_pirq": 1', /bad\.json: not JSON/],
      ['[1, 2]', /bad\.json: expected a JSON object of knob values/],
      ['{"params": {"no_such_knob": 1}}', /bad\.json: .*no_such_knob/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(bad, text);
      const io = captureIO();
      expect(await run.run(['--system', 'Xen', '--params-file', bad], io)).toBe(2);
      expect(io.errText).toMatch(message);
    }
    const io = captureIO();
    expect(await run.run(['--system', 'Xen', '--params-file', join(dir, 'missing.json')], io)).toBe(2);
    expect(io.errText).toMatch(/missing\.json: ENOENT/);
  });
});

describe('collect takes only the runs its tasks asked for (a review of reproducibility)', () => {
  const spec: SweepSpec = { system: 'DA', workload: 'stream', set: { duration_s: 0.02, warmup_s: 0.01 }, vary: [{ key: 'flush_every_polls', values: [2] }], seeds: 2 };
  async function runTasks(out: string, only?: number[]): Promise<string[]> {
    const lines = readFileSync(join(out, 'tasks.tsv'), 'utf8').trim().split('\n');
    const texts: string[] = [];
    for (const [i, line] of lines.entries()) {
      const io = captureIO();
      expect(await run.run(line.split('\t').slice(1), io)).toBe(0);
      texts.push(io.outText);
      if (!only || only.includes(i)) writeFileSync(join(out, 'points', `${i}.json`), io.outText);
    }
    return texts;
  }

  it('refuses to write a sweep into a folder that holds an earlier sweep\'s results', async () => {
    const out = join(dir, 'reused');
    writeSlurmSweep(realBackend(), spec, out);
    await runTasks(out);
    expect(() => writeSlurmSweep(realBackend(), { ...spec, seedBase: 3 }, out)).toThrow(/already holds 2 result file\(s\) of an earlier sweep; write this one to another --out/);
  });

  it('a result file of another seed is invalid, not stored as this seed; one of another model is kept apart and fails the collect', async () => {
    const out = join(dir, 'copied');
    writeSlurmSweep(realBackend(), spec, out);
    const [seed1] = await runTasks(out, [0]);
    // seed 1's result copied over seed 2's file
    writeFileSync(join(out, 'points', '1.json'), seed1 ?? '');
    const r = collect(db, out);
    expect(r.imported).toBe(1);
    expect(r.invalid).toEqual([{ index: 1, file: join(out, 'points', '1.json'), why: expect.stringMatching(/result of seed 1, task 1 asks for seed 2/) as unknown as string }]);
    expect(r.points[0]?.seeds).toEqual([1]);
    // another model's result: kept under its own key, not in this sweep's point
    const other = JSON.parse(seed1 ?? '{}') as Record<string, unknown>;
    const out2 = join(dir, 'other-model');
    writeSlurmSweep(realBackend(), spec, out2);
    writeFileSync(join(out2, 'points', '0.json'), JSON.stringify({ ...other, model_version: 'rxsim-0.9.0+oldoldold0', throughput_mbps: 500 }));
    const io = captureIO();
    io.dbPath = join(dir, 'collect.db');
    const sweep = (await import('./commands.js')).sweepCommands.find((c) => c.name === 'sweep')!;
    expect(await sweep.run(['collect', out2], io)).toBe(3);
    expect(io.outText).toMatch(/1 of another model or parameters \(kept apart\)/);
    expect(io.errText).toMatch(/not counted in this sweep/);
  });
});
