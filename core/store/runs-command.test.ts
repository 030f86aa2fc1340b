import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../cli-args.js';
import { captureIO } from '../cli-capture.js';
import Database from 'better-sqlite3';
import { openStore } from './db.js';
import { loadMigrations, migrate } from './migrate.js';
import { runsCommand } from './runs-command.js';
import { insertRun } from './runs.js';

describe('rxlab runs', () => {
  let dir: string;
  let dbPath: string;
  const run = async (...args: string[]) => {
    const io = captureIO();
    io.dbPath = dbPath;
    const code = await runsCommand.run(args, io);
    return { code, out: io.outText, err: io.errText };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxlab-runs-cli-'));
    dbPath = join(dir, 'rxlab.db');
    const db = openStore(dbPath);
    for (const [i, system] of ['Xen', 'LRO', 'DA'].entries()) {
      insertRun(db, { kind: 'simulated', system, workload: 'stream', label: 'simulation', seed: 1, modelVersion: 'rxsim-t', metrics: { throughput_mbps: 530 + 100 * i, 'cycles_per_byte.total': 23 - 5 * i, lro_rate: i ? 2 + i : null } });
    }
    insertRun(db, { kind: 'measured', workload: 'TCP_RR', label: 'rr.txt #1', inputSha256: 'ab'.repeat(32), parameters: { tool: 'netperf' }, metrics: { throughput: 5036, transactions_per_s: 5036 } });
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--show prints runs in full: provenance, parameters and figures; --json as runs.get; a missing id is exit 1', async () => {
    const r = await run('--show', '4');
    expect(r.code).toBe(0);
    expect(r.out).toContain('run #4  measured  TCP_RR  "rr.txt #1"');
    expect(r.out).toContain(`  input        SHA-256 ${'ab'.repeat(32)}`);
    expect(r.out).toContain('    tool = netperf');
    expect(r.out).toContain('    transactions_per_s = 5036');
    const sim = await run('--show', '1-2', '--json');
    const rows = JSON.parse(sim.out) as { id: number; provenance: { modelVersion: string; seed: number } }[];
    expect(rows.map((x) => [x.id, x.provenance.modelVersion, x.provenance.seed])).toEqual([
      [1, 'rxsim-t', 1],
      [2, 'rxsim-t', 1],
    ]);
    const missing = await run('--show', '3,9-10');
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('run #3  simulated  DA stream');
    expect(missing.err).toBe('no stored run 9-10\n');
    await expect(run('--show', 'x')).rejects.toThrow(UsageError);
    await expect(run('--show', '1', '--csv')).rejects.toThrow(/--show takes only --json \(not --csv\)/);
  });

  it('prints a page as a table, newest first, and says how many match', async () => {
    const r = await run();
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+kind\s+system\s+workload\s+seed\s+throughput\s+c\/B\s+LRO\s+RR\/s\s+label \(log\)$/);
    expect(lines.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['4', '3', '2', '1']);
    expect(lines[1]?.trim()).toMatch(/^4\s+measured\s+–\s+TCP_RR\s+–\s+5036\.00\s+–\s+–\s+5036\s+rr\.txt #1$/);
    expect(lines[2]).toContain('730.0 Mbit/s');
    expect(r.err).toBe('runs 1–4 of 4\n');
  });

  it('filters, sorts, pages and prints ids, CSV or JSON', async () => {
    expect((await run('--kind', 'simulated', '--sort', 'throughput', '--asc', '--ids')).out).toBe('1-3\n');
    expect((await run('--system', 'none', '--ids')).out).toBe('4\n');
    const paged = await run('--limit', '2', '--offset', '1');
    expect(paged.err).toBe('runs 2–3 of 4; --offset 3 for the next page\n');
    // past the end: said plainly, not "runs 0–100 of 4"
    expect((await run('--offset', '100')).err).toBe('no runs at --offset 100 (4 match in all)\n');
    const csv = (await run('--system', 'DA', '--csv')).out.split('\r\n');
    expect(csv[0]).toMatch(/^id,kind,system,workload,label,seed,model_version,created_at,imported_file_id,file_name,throughput_mbps,throughput_mbps\.unit,/);
    expect(csv[1]).toMatch(/^3,simulated,DA,stream,simulation,1,rxsim-t,/);
    // a system's name in any case, as rxlab run and sweep take it
    expect((await run('--system', 'da', '--ids')).out).toBe((await run('--system', 'DA', '--ids')).out);
    const json = JSON.parse((await run('--search', 'rr.txt', '--json')).out) as { total: number; rows: { id: number }[]; facets: unknown };
    expect(json.total).toBe(1);
    expect(json.rows[0]?.id).toBe(4);
    expect(json.facets).not.toBeNull();
    expect((await run('--workload', 'UDP_STREAM')).out).toBe('No stored run matches.\n');
  });

  it('refuses bad flags by name, and a database that does not exist', async () => {
    await expect(run('--sort', 'rowid')).rejects.toThrow(/--sort: Invalid option/);
    await expect(run('--limit', '0')).rejects.toThrow(UsageError);
    await expect(run('--kind', 'guessed')).rejects.toThrow(/--kind:/);
    await expect(run('--ids', '--csv')).rejects.toThrow(/choose one/);
    dbPath = join(dir, 'missing.db');
    await expect(run()).rejects.toThrow(/missing\.db: no such database/);
  });
  it('an older database is brought up to date first (read-only it could not be), and a read-only open says why it cannot', async () => {
    const older = join(dir, 'older.db');
    const all = loadMigrations();
    const old = new Database(older);
    migrate(old, all.slice(0, all.length - 1)); // as the rxlab before the newest migration left it
    old.close();
    expect(() => openStore(older, { readonly: true })).toThrow(`${older}: schema version ${all.length - 1}, older than this rxlab's ${all.length}; it is upgraded when rxlab opens it to write`);
    const io = captureIO();
    io.dbPath = older;
    expect(await runsCommand.run([], io)).toBe(0);
    expect(io.errText).toBe('');
  });
});
