import { PAPER } from '../reference/paper.js';
import { PARAM_SPECS, validateParams } from '../sim/params.js';
import { calibratedParams, presetParams } from '../sim/systems.js';
import { SYSTEM_NAMES, type SystemName } from '../sim/types.js';
import { requireParameterSet } from '../sweep/paramsets.js';
import { deleteParameterSet, listParameterSets } from '../sweep/paramsets.js';
import { NotFoundError } from '../store/notebooks.js';
import { getRuns, listRuns } from '../store/runs.js';
import { listImports } from '../store/imports.js';
import { UI_RECORDS } from './logs.js';
import { importViewOffThread, listRunsOffThread, queryRunsOffThread, RUNS_OFF_THREAD_FROM, runsOffThread, storeCheckOffThread, storeSalvageOffThread } from './store-client.js';
import type { PartialHandlers } from './context.js';
import type { StoredRun } from '../contract/index.js';
import { APP_VERSION } from '../version.js';
import { MODEL_VERSION } from '../sim/version.js';

/** rxlab.db → rxlab.salvaged-20261126-203512.db beside it (a new name each time, never an existing file). */
function salvagedName(dbPath: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${dbPath.replace(/\.db$/i, '')}.salvaged-${stamp}.db`;
}

/** The app's daily backup at start; RXLAB_BACKUP_HOURS sets the interval, 0 turns it off. */
function autoBackupEveryMs(): number {
  const h = Number(process.env['RXLAB_BACKUP_HOURS'] ?? 24);
  return Number.isFinite(h) && h > 0 ? h * 3_600_000 : 0;
}

type RunMethods = 'app.info' | 'runs.get' | 'runs.list' | 'runs.query' | 'imports.list' | 'imports.get' | 'reference.paper' | 'job.cancel' | 'sim.knobs' | 'params.list' | 'params.delete' | 'store.check' | 'store.salvage' | 'store.restore';

export const runHandlers: PartialHandlers<RunMethods> = {
  'app.info': (ctx) => ({ appVersion: APP_VERSION, modelVersion: MODEL_VERSION, dbPath: ctx.dbPath, host: ctx.host }),
  'runs.get': async (ctx, i) => (i.ids.length < RUNS_OFF_THREAD_FROM ? getRuns(ctx.db, i.ids) : ((await runsOffThread(ctx.dbPath, i.ids, 'objects', false)) as StoredRun[])),
  'runs.list': async (ctx, i) => (i.limit < RUNS_OFF_THREAD_FROM ? listRuns(ctx.db, i.kind, i.limit) : ((await listRunsOffThread(ctx.dbPath, i.kind, i.limit)) as StoredRun[])),
  'runs.query': (ctx, i) => queryRunsOffThread(ctx.dbPath, i),
  'imports.list': (ctx) => listImports(ctx.db),
  'imports.get': (ctx, i) => importViewOffThread(ctx.dbPath, i.id, UI_RECORDS),
  'reference.paper': () => PAPER,
  'sim.knobs': (ctx, i) => {
    const defaults = calibratedParams() as unknown as Record<string, string | number | boolean>;
    const base = i.parameterSet === undefined ? undefined : validateParams(requireParameterSet(ctx.db, i.parameterSet).params);
    const presets = SYSTEM_NAMES.map((system) => [system, presetParams(system, base) as unknown as Record<string, string | number | boolean>] as const);
    return PARAM_SPECS.map((s) => ({
      ...s,
      default: defaults[s.name] ?? '',
      presets: Object.fromEntries(presets.map(([system, p]) => [system, p[s.name] ?? ''])) as Record<SystemName, string | number | boolean>,
    }));
  },
  'params.list': (ctx) => listParameterSets(ctx.db),
  'params.delete': (ctx, i) => {
    if (!deleteParameterSet(ctx.db, i.name)) throw new NotFoundError(`parameter set "${i.name}" does not exist`);
    return { name: i.name };
  },
  'store.check': (ctx, i) => storeCheckOffThread(ctx.dbPath, i.quick, ctx.host === 'cli' ? 0 : autoBackupEveryMs()),
  'store.salvage': (ctx, i) => storeSalvageOffThread(ctx.dbPath, salvagedName(ctx.dbPath), ctx.jobSignal(i.jobId)),
  // job.cancel and store.restore are answered by the Service itself (it owns the job table and the connection)
  'job.cancel': () => ({ cancelled: false }),
  'store.restore': () => {
    throw new Error('store.restore is run by the Service');
  },
};
