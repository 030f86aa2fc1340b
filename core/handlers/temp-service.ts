import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Service } from '../service.js';
import { destroyPool } from '../sim/pool.js';

/**
 * For a test file: a Service on a fresh database in a temp directory, opened before the tests and
 * closed (pool stopped, directory removed) after them. Returns a getter, valid inside tests.
 */
export function useTempService(prefix: string): () => Service {
  let dir = '';
  let service: Service | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    service = new Service({ dbPath: join(dir, 'db.sqlite'), host: 'cli' });
  });
  afterAll(async () => {
    service?.close();
    await destroyPool();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (service === undefined) throw new Error('the temp service exists only inside tests');
    return service;
  };
}
