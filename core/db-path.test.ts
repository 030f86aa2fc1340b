import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbPathFor } from './db-path.js';
import { defaultDataDir } from './paths.js';

describe('which store a host opens', () => {
  it('--db, then RXLAB_DB, then the data directory the CLI uses (the desktop app the same)', () => {
    const env = { RXLAB_DATA_DIR: '/data/rx' };
    expect(dbPathFor(['/app', '--db', '/tmp/a.db'], { ...env, RXLAB_DB: '/tmp/b.db' })).toBe('/tmp/a.db');
    expect(dbPathFor(['/app', '--db=/tmp/c.db'], env)).toBe('/tmp/c.db');
    expect(dbPathFor(['/app'], { ...env, RXLAB_DB: '/tmp/b.db' })).toBe('/tmp/b.db');
    expect(dbPathFor(['/app'], env)).toBe(join(defaultDataDir(env), 'rxlab.db'));
    expect(defaultDataDir({}, 'linux')).toMatch(/\.local\/share\/rxlab$/);
  });
});
