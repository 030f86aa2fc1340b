import { describe, expect, it } from 'vitest';
import { runOnRequest, savedRunOn, slurmNote } from './slurm-run.js';

describe('a diagnostic that ran on Slurm, read back from the cell', () => {
  it('reopens on Slurm with its options and names the job', () => {
    const saved = { slurm: { job: '12', folder: '/d/slurm/profile-3', sbatch: ['--partition=debug', '--time=00:30:00'] } };
    expect(savedRunOn(saved)).toEqual({ on: 'slurm', sbatch: '--partition=debug --time=00:30:00' });
    expect(slurmNote(saved, 'Refitted')).toBe(' Refitted by Slurm job 12 (folder /d/slurm/profile-3; --partition=debug --time=00:30:00).');
    expect(slurmNote({ slurm: { job: '12', folder: '/f', sbatch: [] } })).toBe(' Computed by Slurm job 12 (folder /f).');
  });

  it('a result computed here, or an old or damaged field, stays local and says nothing', () => {
    for (const saved of [null, {}, { slurm: null }, { slurm: { job: 12, folder: '/f' } }, { slurm: 'x' }, { slurm: ['12'] }] as never[]) {
      expect(savedRunOn(saved)).toEqual({ on: 'local', sbatch: '' });
      expect(slurmNote(saved)).toBe('');
    }
    // options that are not strings are dropped, the job is kept
    expect(savedRunOn({ slurm: { job: '3', folder: '/f', sbatch: [1, '--qos=low'] } } as never)).toEqual({ on: 'slurm', sbatch: '--qos=low' });
  });
});

describe('a panel’s Run on, as sent', () => {
  it('nothing here (options left from Slurm do not stop it), the options on Slurm, or their error', () => {
    expect(runOnRequest('local', { error: 'bad' })).toEqual({});
    expect(runOnRequest('local', ['--qos=low'])).toEqual({});
    expect(runOnRequest('slurm', ['--qos=low'])).toEqual({ on: 'slurm', sbatch: ['--qos=low'] });
    expect(runOnRequest('slurm', { error: 'bad' })).toEqual({ error: 'bad' });
  });
});
