/**
 * Piscina worker entry: runs one named task per message. Loaded as compiled JS
 * (out/core/sim/worker.js) by pool.ts.
 *
 * Task modules are imported by URL so that a module that is missing or broken only fails its own
 * task, not the whole worker (core/sim/run.ts is written separately); all of them are loaded when
 * the worker starts (see below).
 *
 * To add a task: one line in TASKS — module path relative to this file (.js) and the name of a
 * synchronous or async function `(req: unknown) => unknown` it exports.
 */

export interface WorkerMessage {
  task: string;
  req: unknown;
  /** One of a few requests (pool.ts): queued ahead of large jobs' simulations (ordered-task-queue.ts). */
  small?: boolean;
}

type TaskFn = (req: unknown) => unknown;

const TASKS: Readonly<Record<string, { module: string; export: string }>> = {
  mm1: { module: './mm1.js', export: 'runMm1' },
  sim: { module: './run.js', export: 'runSimulation' },
  import: { module: '../handlers/import-task.js', export: 'runImportTask' },
  // measured.tables: parse stored import documents and sum them off the main thread
  'measured-tables': { module: '../handlers/measured-task.js', export: 'runMeasuredTask' },
  // .rxnb export/import and report building: store work that grows with the notebook's data
  store: { module: '../handlers/store-task.js', export: 'runStoreTask' },
  // e.g. 'calibrate-point': { module: './calibrate.js', export: 'runCalibratePoint' },
  // e.g. 'sweep-point': { module: './sweep.js', export: 'runSweepPoint' },
};

/** Task names the worker knows (pool.ts validates against this before queueing). */
export const TASK_NAMES: readonly string[] = Object.keys(TASKS);

const loaded = new Map<string, Promise<TaskFn>>();

async function load(task: string): Promise<TaskFn> {
  const spec = TASKS[task];
  if (!spec) throw new Error(`worker: unknown task "${task}" (known: ${TASK_NAMES.join(', ')})`);
  const url = new URL(spec.module, import.meta.url).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`worker: task "${task}" cannot load ${spec.module}: ${why}`, { cause: e });
  }
  const fn = mod[spec.export];
  if (typeof fn !== 'function') {
    throw new Error(`worker: ${spec.module} does not export a function "${spec.export}" for task "${task}"`);
  }
  return fn as TaskFn;
}

function getTask(task: string): Promise<TaskFn> {
  let p = loaded.get(task);
  if (!p) {
    p = load(task);
    // Do not cache failures: a later build may have added the module.
    p.catch(() => loaded.delete(task));
    loaded.set(task, p);
  }
  return p;
}

// Every task module is loaded before the worker takes its first task (top-level await: piscina counts
// the worker ready only then). Loaded lazily, a module was still being read when a cancel terminated
// the worker running its task, and the files it had open stayed open: quick cancels of simulations
// leaked descriptors until every run failed with EMFILE. A module that fails to load still fails
// only its own tasks (the failure is not cached; getTask tries again).
await Promise.allSettled(TASK_NAMES.map((t) => getTask(t)));

export default async function handle(msg: WorkerMessage): Promise<unknown> {
  if (typeof msg !== 'object' || msg === null || typeof msg.task !== 'string') {
    throw new TypeError('worker: message must be { task: string, req }');
  }
  const fn = await getTask(msg.task);
  return fn(msg.req);
}
