import { describe, expect, it } from 'vitest';
import { openStore } from '../store/db.js';
import { realBackend } from '../sweep/backend.js';
import { plan, runMissing } from '../sweep/engine.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroyPool } from './pool.js';
import { runSimulation } from './run.js';

describe('progress within a run', () => {
  it('a run that reports its progress gives exactly the result of one that does not, and ends at 1000 ‰', () => {
    const set = { duration_s: 0.05, warmup_s: 0.01, trace_ms: 5 };
    for (const workload of ['stream', 'rr'] as const) {
      const plain = runSimulation({ system: 'DA', workload, seed: 3, set });
      const word = new SharedArrayBuffer(4);
      const watched = runSimulation({ system: 'DA', workload, seed: 3, set, progress: word });
      expect(JSON.stringify(watched)).toBe(JSON.stringify(plain));
      expect(Atomics.load(new Int32Array(word), 0)).toBe(1000);
    }
  });

  it('a run whose cancel word is set stops with an AbortError and no result; a 4-byte word only reports progress', () => {
    const set = { duration_s: 0.02, warmup_s: 0 };
    const control = new SharedArrayBuffer(8);
    Atomics.store(new Int32Array(control), 1, 1);
    expect(() => runSimulation({ system: 'Xen', seed: 1, set, progress: control })).toThrow(expect.objectContaining({ name: 'AbortError', message: 'simulation cancelled' }));
    const word = new SharedArrayBuffer(4);
    expect(runSimulation({ system: 'Xen', seed: 1, set, progress: word }).throughput_mbps).toBeGreaterThan(0);
  });

  it('the sweep engine reports runs done as a fraction while long runs are in flight, never stepping back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-run-progress-'));
    const db = openStore(join(dir, 'db.sqlite'));
    try {
      const backend = realBackend();
      // two runs of 1.5 s simulated each: about a second of wall time apiece here
      const planned = plan(db, backend, [1, 2].map((seed) => ({ system: 'Xen' as const, set: { duration_s: 1.5, warmup_s: 0 }, seed, workload: 'stream' as const })));
      const seen: number[] = [];
      await runMissing(db, backend, planned, { onRunProgress: (x, total) => { expect(total).toBe(2); seen.push(x); } });
      expect(seen[0]).toBe(0); // from the start, so a caller can use it alone
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.some((x) => x > 0 && x < 2 && !Number.isInteger(x))).toBe(true); // part-way through a run
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
      expect(seen.at(-1)).toBe(2);
      expect(planned.every((p) => p.runId !== undefined)).toBe(true);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      await destroyPool();
    }
  }, 60_000);

  // SIGTERM (a scheduler or kill stopping it) is a cancel too, said as what it was, with 128 + 15
  for (const [signal, code, why] of [['SIGINT', 130, 'Ctrl+C'], ['SIGTERM', 143, 'SIGTERM']] as const) {
    it(`${signal} during a long rxlab run is a cancel: exit ${code} and a line that says so`, async () => {
      const { spawn } = await import('node:child_process');
      const { appRoot } = await import('../paths.js');
      const child = spawn(process.execPath, [join(appRoot(), 'bin', 'rxlab.js'), 'run', '--system', 'DA', '--set', 'duration_s=300'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      let sent = false; // once: a second Ctrl+C is the shell's hard stop
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (!sent && /% of 300\.\d+ s simulated/.test(err)) {
          sent = true;
          child.kill(signal);
        }
      });
      const exit = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      expect(exit).toBe(code);
      expect(err.trimEnd().split('\n').at(-1)).toBe(`rxlab run: cancelled (${why}); nothing half-done was saved`);
    }, 30_000);
  }
});
