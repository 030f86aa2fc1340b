import { afterAll, describe, expect, it } from 'vitest';
import { captureIO as fakeIO } from '../cli-capture.js';
import { simCommands } from './commands.js';
import { destroyPool } from './pool.js';

const calibrate = simCommands.find((c) => c.name === 'calibrate')!;

afterAll(async () => {
  await destroyPool();
});

describe('rxlab calibrate --implied', () => {
  it('prints the implied-cost report against the paper and writes nothing', async () => {
    const io = fakeIO();
    expect(await calibrate.run(['--implied', '--json', '--seeds', '1'], io)).toBe(0);
    expect(io.outText.endsWith('\n')).toBe(true);
    const rep = JSON.parse(io.outText) as { cells: Array<{ system: string; metric: string; error_implied_pct: number }>; costs: Array<{ name: string }> };
    // Table V has 13 cells (Linux has only a total).
    expect(rep.cells).toHaveLength(13);
    expect(rep.costs.map((c) => c.name)).toContain('k_user');
    // The DA driver cell needs a negative per-byte cost at the model's batching (model-notes §1.3).
    const da = rep.cells.find((c) => c.system === 'DA' && c.metric === 'driver')!;
    expect(da.error_implied_pct).toBeGreaterThan(50);
  });

  it('refuses flags that do not go together', async () => {
    const a = fakeIO();
    expect(await calibrate.run(['--seeds', '2'], a)).toBe(2);
    expect(a.errText).toMatch(/--seeds goes with --implied/);
    const b = fakeIO();
    expect(await calibrate.run(['--implied', '--rounds', '3'], b)).toBe(2);
    expect(b.errText).toMatch(/--rounds does not go with --implied/);
  });
});
