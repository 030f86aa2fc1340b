import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Service } from '../service.js';
import { openStore } from './db.js';
import { retryBusy } from './busy.js';

const dir = mkdtempSync(join(tmpdir(), 'rxlab-busy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writes wait for the write lock without blocking the thread', () => {
  it('a UI host\'s notebook.create waits while another connection holds the lock, with the event loop running', async () => {
    const file = join(dir, 'ui.sqlite');
    const service = new Service({ dbPath: file, host: 'browser' });
    const other = openStore(file);
    try {
      expect(service.db.pragma('busy_timeout', { simple: true })).toBe(0);
      other.exec('BEGIN IMMEDIATE'); // like a worker saving a large import
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const pending = service.invoke('notebook.create', { title: 'while locked' });
      await new Promise((r) => setTimeout(r, 300));
      const ticksWhileLocked = ticks;
      other.exec('COMMIT');
      const nb = await pending;
      clearInterval(timer);
      // The timer kept firing during the 300 ms the lock was held: nothing waited synchronously.
      expect(ticksWhileLocked).toBeGreaterThan(20);
      expect(nb.title).toBe('while locked');
      expect(service.db.prepare('SELECT count(*) FROM notebook WHERE title = ?').pluck().get('while locked')).toBe(1);
    } finally {
      other.close();
      service.close();
    }
  });

  it('the CLI keeps SQLite\'s own busy wait (it has no event loop to keep free)', () => {
    const service = new Service({ dbPath: join(dir, 'cli.sqlite'), host: 'cli' });
    try {
      expect(service.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      service.close();
    }
  });

  it('retryBusy rethrows other errors at once and gives up on SQLITE_BUSY after maxMs', async () => {
    let calls = 0;
    await expect(
      retryBusy(() => {
        calls++;
        throw new Error('not busy');
      }),
    ).rejects.toThrow('not busy');
    expect(calls).toBe(1);
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const t0 = performance.now();
    await expect(
      retryBusy(
        () => {
          throw busy;
        },
        { maxMs: 100 },
      ),
    ).rejects.toBe(busy);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
