import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './slurm-job.js';

describe('the Slurm poll loop\'s sleep', () => {
  it('leaves no abort listener behind per wait, and returns at once on abort', async () => {
    const ctl = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, ctl.signal);
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
    const t0 = Date.now();
    const p = sleep(10_000, ctl.signal);
    ctl.abort();
    await p;
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
