import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../cli-capture.js';
import { importBytesSync } from '../logs/import.js';
import { appRoot } from '../paths.js';
import type { Db } from '../store/db.js';
import { saveImport } from '../store/imports.js';
import { useTempDb } from '../store/temp-db.js';
import { measuredFor } from './calibrate.js';
import { collectFit, readTargets, writeSlurmFit } from './calibrate-slurm.js';
import { sweepCommands } from './commands.js';
import { getParameterSet } from './paramsets.js';
import { openStore } from '../store/db.js';
import { lastLogLine } from '../handlers/slurm-job.js';

const sweep = sweepCommands[0]!;
let dir = '';
let db: Db;
useTempDb('rxlab-fit-slurm-', (d, x) => ((dir = d), (db = x)));

describe('the notebook’s fit on Slurm (no cluster: the one task is run here)', () => {
  it('hands the measured tables to the task, and the collector saves its set here under the asked name', async () => {
    const file = resolve(appRoot(), '..', 'shared', 'real-logs', 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
    const bytes = readFileSync(file);
    const { fileId } = saveImport(db, importBytesSync('stream.txt', bytes), bytes);
    const sources = [{ system: 'Xen' as const, fileIds: [fileId], tables: measuredFor(db, { system: 'Xen', fileIds: [fileId] }) }];
    const out = join(dir, 'job');
    const { script } = writeSlurmFit('lab fit', sources, 6, false, out);
    expect(readFileSync(script, 'utf8')).toMatch(/#SBATCH --array=0-0\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=2\n/);
    const [line, ...more] = readFileSync(join(out, 'tasks.tsv'), 'utf8').trim().split('\n');
    expect(more).toEqual([]);
    const args = line!.split('\t');
    expect(args).toEqual(['sweep', 'calibrate', '--name', 'slurm-fit', '--targets', join(out, 'targets.json'), '--evals', '6', '--json']);
    expect(readTargets(join(out, 'targets.json'))).toEqual(JSON.parse(JSON.stringify(sources)));
    // no result yet
    expect(() => collectFit(db, out)).toThrow(/the fit has no result yet in .*job\/fits/);

    // the task, on its own throw-away database (which has none of the logs); even where it cannot
    // save there (here: a database from before the parameter_set migration) it prints the fitted set
    const taskDb = openStore(join(dir, 'task.db'));
    taskDb.exec('DROP TABLE parameter_set');
    taskDb.close();
    const task = Object.assign(captureIO(), { dbPath: join(dir, 'task.db') });
    expect(await sweep.run(args.slice(1), task)).toBe(0);
    expect(JSON.parse(task.outText)).toMatchObject({ saved: null, saveError: expect.stringMatching(/parameter_set/), params: expect.any(Object) });
    writeFileSync(join(out, 'fits', '0.json'), task.outText);
    const r = collectFit(db, out);
    expect(r.name).toBe('lab fit');
    expect(r.saved?.name).toBe('lab fit');
    expect(r.after.map((c) => [c.table, c.system, c.metric])).toEqual([['IV', 'Xen', 'throughput_mbps']]);
    expect(r.saveError).toBeUndefined();
    const ps = getParameterSet(db, 'lab fit');
    expect(ps?.params).toEqual((JSON.parse(task.outText) as { params: unknown }).params);
    // collected twice: the name is taken, the answer says so
    expect(collectFit(db, out)).toMatchObject({ saved: null, saveError: expect.stringMatching(/"lab fit" exists already/) });
    // by hand, as the script's header says: under another name, or replacing the set
    const cli = Object.assign(captureIO(), { dbPath: join(dir, 'x.db') });
    expect(await sweep.run(['calibrate', '--collect', out], cli)).toBe(1);
    expect(cli.outText).toMatch(/NOT saved: a parameter set named "lab fit" exists already/);
    const renamed = Object.assign(captureIO(), { dbPath: join(dir, 'x.db') });
    expect(await sweep.run(['calibrate', '--collect', out, '--name', 'lab fit 2'], renamed)).toBe(0);
    expect(renamed.outText).toMatch(/saved as parameter set "lab fit 2"/);
    expect(collectFit(db, out, { replace: true }).saved?.name).toBe('lab fit');
    await expect(sweep.run(['calibrate', '--collect', out, '--evals', '3'], captureIO())).rejects.toThrow(/--collect DIR takes only --name, --replace and --json/);
  });

  it('a name with line breaks cannot put a command into the job script (the API refuses such names too)', async () => {
    const out = join(dir, 'inject');
    const { script } = writeSlurmFit('fit1\ntouch /tmp/rxlab-INJECTED\n#', [{ system: 'Xen', fileIds: [1], tables: {} as never }], 5, false, out);
    const lines = readFileSync(script, 'utf8').split('\n');
    expect(lines.filter((l) => l.includes('touch /tmp/rxlab-INJECTED')).every((l) => l.startsWith('# '))).toBe(true);
    const { schemas } = await import('../contract/schemas.js');
    const r = schemas['params.calibrate'].safeParse({ name: 'fit1\ntouch x', sources: [{ system: 'Xen', fileIds: [1] }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('name must be one line, without control characters');
  });

  it('a damaged result or targets file is named', () => {
    const out = join(dir, 'job2');
    writeSlurmFit('x', [{ system: 'Xen', fileIds: [1], tables: {} as never }], 5, false, out);
    writeFileSync(join(out, 'fits', '0.json'), '{"after": 3}');
    expect(() => collectFit(db, out)).toThrow(/fits\/0\.json: not a finished fit \(missing or wrong: before, after, groups, notes, params, multipliers, target, objective, evaluations, modelVersion\)/);
    // the progress line's detail: the last line of the newest task log, and nothing when there is none
    expect(lastLogLine(out)).toBeNull();
    writeFileSync(join(out, 'logs', '7_0.out'), 'calibrate: evaluation 1, objective 9.00\ncalibrate: evaluation 2, objective 8.50\n');
    expect(lastLogLine(out)).toBe('calibrate: evaluation 2, objective 8.50');
    writeFileSync(join(out, 'targets.json'), '{"format": "nope"}');
    expect(() => readTargets(join(out, 'targets.json'))).toThrow(/targets\.json: not an rxlab fit targets file \(format nope\)/);
  });
});
