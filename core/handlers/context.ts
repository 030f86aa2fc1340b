import type { Method, Outputs, Parsed, ServiceEvent } from '../contract/index.js';
import type { Db } from '../store/db.js';
import type { JsonText } from './json-text.js';

export interface HandlerContext {
  db: Db;
  dbPath: string;
  host: 'electron' | 'browser' | 'cli';
  emit(event: ServiceEvent): void;
  /** An AbortSignal for a job id (cancelled by job.cancel); a fresh one if no id was given. */
  jobSignal(jobId: string | undefined): AbortSignal;
  progress(jobId: string | undefined, done: number, total: number, message?: string): void;
}

/** A handler answers with the value, or with its JSON printed by a worker (json-text.ts). */
export type Handler<M extends Method> = (ctx: HandlerContext, input: Parsed<M>) => Promise<Outputs[M] | JsonText<Outputs[M]>> | Outputs[M] | JsonText<Outputs[M]>;
export type HandlerMap = { [M in Method]: Handler<M> };
export type PartialHandlers<K extends Method> = { [M in K]: Handler<M> };

/** A job stopped by job.cancel; the service answers it with code 'cancelled'. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}
