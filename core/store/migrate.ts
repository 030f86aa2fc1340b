import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../paths.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads migrations/NNNN_name.sql and checks the ids are 1..N with no gap or duplicate. */
export function loadMigrations(dir = join(appRoot(), 'migrations')): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const out: Migration[] = [];
  for (const f of files) {
    const m = FILE_RE.exec(f);
    if (!m) throw new Error(`migrations: ${f} does not match NNNN_name.sql`);
    out.push({ version: Number(m[1]), name: m[2] ?? f, sql: readFileSync(join(dir, f), 'utf8') });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migrations: expected ${String(i + 1).padStart(4, '0')}_….sql but found version ${m.version} (${m.name}); ids must be contiguous from 0001`);
    }
  });
  return out;
}

export class DatabaseFromTheFutureError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
    file: string,
  ) {
    super(
      `${file}: this database has schema version ${found}, but this rxlab only knows up to version ${supported}. ` +
        'It was written by a newer rxlab; upgrade rxlab to open it. Nothing was changed.',
    );
    this.name = 'DatabaseFromTheFutureError';
  }
}

/**
 * Brings the database to the newest schema. All pending migrations run in ONE transaction with the
 * user_version bump, so an interrupted upgrade leaves the old schema intact (after Signal's updateSchema).
 */
export function migrate(db: Database.Database, migrations = loadMigrations(), file = db.name): { from: number; to: number } {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (current > latest) throw new DatabaseFromTheFutureError(current, latest, file);
  if (current === latest) return { from: current, to: current };
  // IMMEDIATE, and the version read again inside: two processes opening one older file at once (the app
  // and a CLI command) would otherwise both start from the version read above, and the second would
  // re-run migrations the first had just applied ("table notebook already exists").
  return db
    .transaction(() => {
      const from = db.pragma('user_version', { simple: true }) as number;
      if (from > latest) throw new DatabaseFromTheFutureError(from, latest, file);
      for (const m of migrations.slice(from)) db.exec(m.sql);
      if (from < latest) db.pragma(`user_version = ${latest}`);
      return { from, to: latest };
    })
    .immediate();
}
