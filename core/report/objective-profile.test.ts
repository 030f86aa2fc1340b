import { describe, expect, it } from 'vitest';
import { objectiveProfileBlocks } from './objective-profile.js';
import type { BuildContext } from './sections.js';
import { renderChart } from './svg.js';
import type { Figure } from './types.js';

function context(): BuildContext & { figures: Figure[] } {
  const figures: Figure[] = [];
  return {
    figures,
    cells: [],
    runs: new Map(),
    files: new Map(),
    cellRuns: new Map(),
    addFigure: (f) => {
      const fig = { ...f, number: figures.length + 1 };
      figures.push(fig);
      return fig;
    },
  };
}

const pt = (factor: number, objective: number, inside: number, misfits: string[] = []): Record<string, unknown> => ({ factor, multiplier: factor, objective, within_tolerance: inside, cells: 25, misfits });

describe('the profile of the calibration objective in the report', () => {
  it('draws the lines the cell draws and tabulates each knob with its reading', () => {
    const ctx = context();
    const blocks = objectiveProfileBlocks(
      'c1',
      {
        model_version: 'rxsim-test',
        rounds: 220,
        seeds: [11, 12, 13, 14],
        flat_within: 2,
        profiles: [
          { knob: 'pirq', verdict: 'pinned: the objective rises by 43.1 at the low end', points: [pt(0.5, 142.1, 16, ['V DA driver', 'IV DA Mbit/s']), pt(1, 98.96, 20)] },
          { knob: 'gcopy', verdict: 'flat down', points: [pt(1, 98.96, 20), pt(2, 129.5, 14)] },
        ],
      },
      ctx,
    );
    expect(blocks.map((b) => b.type)).toEqual(['figure', 'table']);
    const [fig] = ctx.figures;
    expect(fig?.spec.type === 'line' && fig.spec.xLog).toBe(true);
    expect(fig?.spec.type === 'line' && fig.spec.series.map((s) => [s.name, s.points.map((p) => p.x)])).toEqual([
      ['pirq', [0.5, 1]],
      ['gcopy', [1, 2]],
    ]);
    expect(fig?.data.rows[0]).toEqual(['pirq', 0.5, 142.1, 16, 'V DA driver, IV DA Mbit/s']);
    expect(fig?.caption).toMatch(/220 evaluations per point\); objective on seeds 11, 12, 13, 14.*less than 2 \(one cell outside tolerance\)/);
    expect(renderChart(fig!.spec).svg).toContain('<svg');
    const table = blocks[1]?.type === 'table' ? blocks[1].table : null;
    expect(table?.columns).toEqual(['Multiplier', '×0.50', '×1.00', '×2.00', 'Reading']);
    expect(table?.rows).toEqual([
      ['pirq (physical IRQ)', '142.1 (16)', '99.0 (20)', null, 'pinned: the objective rises by 43.1 at the low end'],
      ['gcopy (hypervisor grant copy per byte)', null, '99.0 (20)', '129.5 (14)', 'flat down'],
    ]);
    expect(table?.note).toBe('Model rxsim-test. In the centre column (×1.00) the committed calibration itself.');
  });

  it('names the Slurm job that did the refits', () => {
    const blocks = objectiveProfileBlocks('c1', { profiles: [{ knob: 'pirq', points: [pt(1, 99, 20)] }], slurm: { job: '7', folder: '/d/slurm/profile-2', sbatch: ['--qos=low'] } }, context());
    const table = blocks[1]?.type === 'table' ? blocks[1].table : null;
    expect(table?.note).toMatch(/itself\. The refits ran as Slurm job 7 \(job folder \/d\/slurm\/profile-2\)\.$/);
  });

  it('adds nothing for a missing or damaged result', () => {
    for (const v of [undefined, null, 'x', { profiles: 'no' }, { profiles: [{ knob: 'pirq', points: [{ factor: 'a' }] }] }]) {
      const ctx = context();
      expect(objectiveProfileBlocks('c1', v, ctx)).toEqual([]);
      expect(ctx.figures).toEqual([]);
    }
  });
});
