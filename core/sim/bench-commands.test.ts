import { describe, it, expect } from 'vitest';
import { captureIO as fakeIO } from '../cli-capture.js';
import { benchCommands } from './bench-commands.js';

const cmd = benchCommands.find((c) => c.name === 'bench')!;

describe('rxlab bench', () => {
  it('bench mm1 --json prints exactly customers, wall_s, mean_wait on one line', async () => {
    const io = fakeIO();
    expect(await cmd.run(['mm1', '--customers', '20000', '--seed', '3', '--json'], io)).toBe(0);
    expect(io.outText.endsWith('\n')).toBe(true);
    expect(io.outText.trim().split('\n')).toHaveLength(1);
    const j = JSON.parse(io.outText) as Record<string, number>;
    expect(Object.keys(j)).toEqual(['customers', 'wall_s', 'mean_wait']);
    expect(j['customers']).toBe(20000);
    expect(j['wall_s']).toBeGreaterThan(0);
    expect(j['mean_wait']).toBeGreaterThan(4);
    expect(j['mean_wait']).toBeLessThan(15);
  });

  it('bench mm1 without --json prints a readable line', async () => {
    const io = fakeIO();
    expect(await cmd.run(['mm1', '--customers', '1000'], io)).toBe(0);
    expect(io.outText).toMatch(/^mm1: 1000 customers in [\d.]+ s .*mean wait [\d.]+/);
  });

  it.each([
    [[], /which benchmark/],
    [['nope'], /unknown benchmark "nope"/],
    [['mm1'], /--customers N is required/],
    [['mm1', '--customers', 'ten'], /expected a whole number, got "ten"/],
    [['mm1', '--customers', '0'], /between 1 and/],
    [['mm1', '--customers', '10', '--seed', '1.5'], /--seed: expected a whole number/],
    [['mm1', '--customers', '10', '--frobnicate'], /frobnicate/],
  ])('bad args %j → exit 2 with a message', async (args, msg) => {
    const io = fakeIO();
    expect(await cmd.run(args, io)).toBe(2);
    expect(io.errText).toMatch(msg);
    expect(io.outText).toBe('');
  });
});
