import { describe, expect, it } from 'vitest';
import type { Cell, StoredRun } from '../contract/index.js';
import { MODEL_VERSION } from '../sim/version.js';
import { buildSection, type BuildContext } from './sections.js';

const run = (id: number, modelVersion: string | null, kind: StoredRun['kind'] = 'simulated'): StoredRun => ({
  id,
  kind,
  system: 'Xen',
  workload: 'stream',
  label: null,
  provenance: { appVersion: '0.1.0', modelVersion, parameters: {}, seed: 1, inputSha256: null, createdAt: '2026-11-27T00:00:00Z' },
  metrics: { throughput_mbps: 530 },
  detail: {},
  importedFileId: null,
});

function section(runs: StoredRun[], kind: 'simulation' | 'compare' = 'simulation'): string[] {
  const sim: Cell = { id: 'c1', kind: 'simulation', config: {}, output: { runIds: runs.map((r) => r.id), groups: [] }, stale: false } as unknown as Cell;
  // a Compare cell below it, reading it: its runs are the Simulation cell's
  const cmp: Cell = { id: 'c2', kind: 'compare', config: {}, output: { tables: [], inputs: ['c1'] }, stale: false } as unknown as Cell;
  const ctx: BuildContext = { cells: [sim, cmp], runs: new Map(runs.map((r) => [r.id, r])), files: new Map(), cellRuns: new Map([['c1', runs]]), addFigure: (f) => ({ ...f, number: 1 }) };
  return buildSection(kind === 'compare' ? cmp : sim, kind === 'compare' ? 1 : 0, ctx).blocks.flatMap((b) => (b.type === 'note' ? [b.text] : []));
}

describe('a cell simulated with another model says so in the report', () => {
  it('names the other models and this build’s, first in the section', () => {
    const notes = section([run(1, 'rxsim-0.9.0+old'), run(2, MODEL_VERSION), run(3, 'rxsim-0.8.0+older'), run(4, 'rxsim-0.9.0+old')]);
    expect(notes[0]).toBe(`Simulated with model rxsim-0.8.0+older, rxsim-0.9.0+old; this build runs ${MODEL_VERSION}, and running the cell again would simulate it with that.`);
  });
  it('a Compare cell names the model of the runs it compares, and where to run them again', () => {
    expect(section([run(1, 'rxsim-0.9.0+old')], 'compare')[0]).toBe(
      `The simulated runs compared here come from model rxsim-0.9.0+old; this build runs ${MODEL_VERSION}: running the Simulation cells it reads again would compare that model's runs.`,
    );
    expect(section([run(1, MODEL_VERSION)], 'compare').some((t) => /model/.test(t))).toBe(false);
  });

  it('says nothing when every simulated run is this build’s; measured runs have no model', () => {
    expect(section([run(1, MODEL_VERSION), run(2, null, 'measured')]).some((t) => t.startsWith('Simulated with model'))).toBe(false);
  });
});
