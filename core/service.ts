import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import type { ZodError } from 'zod';
import { schemas, type ApiError, type Envelope, type Input, type Method, type Outputs, type Parsed, type ServiceEvent, type StoreRestore } from './contract/index.js';
import type { HandlerContext, HandlerMap } from './handlers/context.js';
import { notebookHandlers } from './handlers/notebooks.js';
import { logHandlers } from './handlers/logs.js';
import { runHandlers } from './handlers/runs.js';
import { simHandlers } from './handlers/sim.js';
import { measuredHandlers } from './handlers/measured.js';
import { defaultDbPath } from './paths.js';
import { openStore, openStoreFiles, type Db } from './store/db.js';
import { EditConflictError, NotFoundError } from './store/notebooks.js';
import { SweepCancelledError } from './sweep/engine.js';
import { isBusy, retryBusy } from './store/busy.js';
import { DamagedStoreError, explainStorageError, isCorruption } from './store/damage.js';
import { storeRestoreOffThread } from './handlers/store-client.js';
import { JsonText } from './handlers/json-text.js';

/** Methods whose only write is one transaction: on SQLITE_BUSY nothing was written, so they can run again. */
const RETRY_WHEN_BUSY: ReadonlySet<Method> = new Set<Method>([
  'notebook.create',
  'notebook.rename',
  'notebook.duplicate',
  'notebook.delete',
  'notebook.restore',
  'notebook.save',
]);

export interface ServiceOptions {
  dbPath?: string;
  host: HandlerContext['host'];
}

/**
 * The one implementation of the contract. Hosts (IPC, HTTP, CLI) only move bytes: they hand the raw,
 * untrusted request to call(), which validates it with the method's zod schema before any handler runs.
 */
export class Service {
  private conn: Db;
  readonly dbPath: string;
  private readonly host: HandlerContext['host'];
  /** Set while store.restore has the connection closed: every other request is refused meanwhile. */
  private restoring = false;
  /** Requests being answered now (store.restore waits for none). */
  private inFlight = 0;
  /** Job ids cancelled before they were known, newest last (at most 256). */
  private readonly cancelledEarly = new Set<string>();
  private readonly events = new EventEmitter();
  private readonly jobs = new Map<string, AbortController>();
  private readonly handlers: HandlerMap;
  private readonly ctx: HandlerContext;

  constructor(opts: ServiceOptions) {
    this.dbPath = resolve(opts.dbPath ?? defaultDbPath());
    this.host = opts.host;
    this.conn = this.open();
    this.events.setMaxListeners(100);
    this.handlers = { ...notebookHandlers, ...runHandlers, ...logHandlers, ...simHandlers, ...measuredHandlers };
    const conn = (): Db => this.conn; // store.restore reopens the connection: handlers read the current one
    this.ctx = {
      get db() {
        return conn();
      },
      dbPath: this.dbPath,
      host: opts.host,
      emit: (e) => this.events.emit('event', e),
      jobSignal: (jobId) => {
        const ac = new AbortController();
        if (jobId) {
          this.jobs.get(jobId)?.abort();
          this.jobs.set(jobId, ac);
          // cancelled before its work began (a page that went away the moment it pressed Run)
          if (this.cancelledEarly.delete(jobId)) ac.abort();
        }
        return ac.signal;
      },
      progress: (jobId, done, total, message) => {
        if (jobId) this.events.emit('event', { type: 'progress', jobId, done, total, ...(message ? { message } : {}) } satisfies ServiceEvent);
      },
    };
  }

  get db(): Db {
    return this.conn;
  }

  private open(): Db {
    const db = openStore(this.dbPath);
    // A host that serves a UI must never wait for the write lock inside SQLite (that wait blocks
    // the thread): its writes fail at once with SQLITE_BUSY and are retried (core/store/busy.ts).
    if (this.host !== 'cli') db.pragma('busy_timeout = 0');
    return db;
  }

  /**
   * store.restore: the damaged-store banner's way back to a backup (the desktop app has no
   * command line). The restore refuses while any connection has the file open, so this one closes
   * first; the check and the copy run in a worker; the store reopens whatever happened.
   */
  private async restore(which: 'newest' | 'previous'): Promise<StoreRestore> {
    if (this.inFlight > 0) throw new ConflictError(`other work is still running (${this.inFlight} request(s)${this.jobs.size ? `: ${[...this.jobs.keys()].join(', ')}` : ''}): wait for it or cancel it, then go back to the backup`);
    this.restoring = true;
    this.conn.close();
    try {
      return await storeRestoreOffThread(this.dbPath, which);
    } finally {
      this.conn = this.open();
      this.restoring = false;
    }
  }

  /**
   * Work a host does on the store outside call() (browser mode's download and .rxnb routes, the
   * desktop app's PDF export) is counted as a request in flight too: a restore waits for it, and it
   * is refused while a restore swaps the file (it would write into the file being replaced).
   */
  async track<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.restoring) throw new ConflictError('the store is being restored from its backup; try again in a moment');
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
    }
  }

  /** Tells every window a host-side change happened (a route that imported a notebook). */
  notify(e: ServiceEvent): void {
    this.events.emit('event', e);
  }

  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (e: ServiceEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  cancel(jobId: string): boolean {
    const ac = this.jobs.get(jobId);
    if (!ac) {
      // The request may not have reached its work yet: remember the cancel for a while, so the job
      // starts cancelled instead of running on with nobody to stop it.
      this.cancelledEarly.add(jobId);
      if (this.cancelledEarly.size > 256) this.cancelledEarly.delete(this.cancelledEarly.values().next().value as string);
      return false;
    }
    ac.abort();
    this.jobs.delete(jobId);
    return true;
  }

  /** Untrusted entry point for callers that want the value (the CLI, tests). Never throws: failures come back as {ok:false, error}. */
  async call(method: string, rawInput: unknown): Promise<Envelope<unknown>> {
    const env = await this.answer(method, rawInput);
    return env.ok && env.value instanceof JsonText ? { ok: true, value: JSON.parse(env.value.text) as unknown } : env;
  }

  /**
   * call() for the hosts that send the answer as JSON (the HTTP server, the desktop app's IPC): an
   * answer a worker has printed already comes back as the envelope's JSON text, neither parsed nor
   * printed again on this thread (json-text.ts); any other as the envelope.
   */
  async reply(method: string, rawInput: unknown): Promise<Envelope<unknown> | string> {
    const env = await this.answer(method, rawInput);
    return env.ok && env.value instanceof JsonText ? `{"ok":true,"value":${env.value.text}}` : env;
  }

  private async answer(method: string, rawInput: unknown): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(schemas, method)) {
      return { ok: false, error: { code: 'not-found', message: `unknown method "${method}"` } };
    }
    const m = method as Method;
    // no input is {} (every method has defaults); a JSON null is not an object, as any other non-object
    const parsed = schemas[m].safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) return { ok: false, error: zodError(m, parsed.error) };
    const jobId = (parsed.data as { jobId?: string }).jobId;
    // A second call under a running job's id would take over its id: the first's end then dropped the
    // second's cancel handle, and job.cancel could no longer stop it.
    if (jobId && m !== 'job.cancel' && this.jobs.has(jobId)) {
      return { ok: false, error: { code: 'conflict', message: `job ${jobId} is already running: give each call its own jobId` } };
    }
    try {
      if (m === 'job.cancel') return { ok: true, value: { cancelled: this.cancel((parsed.data as { jobId: string }).jobId) } };
      if (this.restoring) throw new ConflictError('the store is being restored from its backup; try again in a moment');
      if (m === 'store.restore') return { ok: true, value: await this.restore((parsed.data as Parsed<'store.restore'>).which) };
      const handler = this.handlers[m] as (ctx: HandlerContext, i: unknown) => unknown;
      // Methods that write in one transaction and nothing else may simply run again when the
      // write lock was taken (a worker saving a large import); the others retry their own writes.
      const value = await this.track(() => (RETRY_WHEN_BUSY.has(m) ? retryBusy(() => handler(this.ctx, parsed.data)) : handler(this.ctx, parsed.data)));
      if (jobId) this.ctx.emit({ type: 'job-finished', jobId, ok: true });
      return { ok: true, value };
    } catch (e) {
      const error = toApiError(isCorruption(e) ? new DamagedStoreError(this.dbPath, e) : e, this.dbPath);
      if (jobId) this.ctx.emit({ type: 'job-finished', jobId, ok: false, error: error.message });
      return { ok: false, error };
    } finally {
      if (jobId) this.jobs.delete(jobId);
    }
  }

  /** Typed direct call for the CLI and tests; throws on failure. */
  async invoke<M extends Method>(method: M, input: Input<M>): Promise<Outputs[M]> {
    const env = await this.call(method, input);
    if (!env.ok) throw Object.assign(new Error(env.error.message), { apiError: env.error });
    return env.value as Outputs[M];
  }

  close(): void {
    for (const ac of this.jobs.values()) ac.abort();
    this.jobs.clear();
    this.conn.close();
  }
}

/** A request that cannot run now (work in flight, a restore under way); nothing was done. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

function zodError(method: Method, err: ZodError): ApiError {
  const issues = err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(request)', message: i.message }));
  const first = issues[0];
  return {
    code: 'bad-request',
    message: `${method}: invalid request${first ? `: ${first.path}: ${first.message}` : ''}`,
    issues,
  };
}

/**
 * The store file a failure of the disk or the file system is about: the one given, else the one store
 * this thread has open (the service's own), else none (several are open, as in tests).
 */
function storeFileOf(dbPath: string | undefined): string | null {
  if (dbPath !== undefined) return dbPath;
  const open = openStoreFiles();
  return open.length === 1 ? (open[0] ?? null) : null;
}

export function toApiError(e: unknown, dbPath?: string): ApiError {
  if (e instanceof NotFoundError) return { code: 'not-found', message: e.message };
  if (e instanceof EditConflictError) return { code: 'edit-conflict', message: e.message };
  if (e instanceof ConflictError) return { code: 'conflict', message: e.message };
  // a cancelled sweep says how many of its runs it saved (the notebook tells the user Run resumes there)
  if (e instanceof SweepCancelledError && e.saved !== undefined) return { code: 'cancelled', message: e.message };
  if (e instanceof Error && e.name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
  if (e instanceof Error && (e.name === 'LogParseError' || e.name === 'RxnbError' || e.name === 'ParamError' || e.name === 'UsageError' || e.name === 'ZodError')) {
    return { code: 'bad-request', message: e.message };
  }
  if (isBusy(e)) {
    // Another connection (a worker saving a large import, another window, the CLI) held the write
    // lock past the busy timeout: nothing was written, and the same request can simply be retried.
    return { code: 'conflict', message: 'the database is busy saving other work (a large import?); nothing was written — try again in a moment' };
  }
  // A full disk, a read-only folder, a failing disk: SQLite's bare text names neither the file nor the
  // cause. 'failed' (500) still: a 507 for a full disk would need its own code in the contract.
  const storage = explainStorageError(e, storeFileOf(dbPath));
  if (storage) return { code: 'failed', message: storage.message };
  return { code: 'failed', message: e instanceof Error ? e.message : String(e) };
}
