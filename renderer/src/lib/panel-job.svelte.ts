/**
 * A Compare-cell panel's long job (fit, sensitivity, cross-validation, profile): its id while it
 * runs, which JobProgress shows with Cancel and which disables the panel's button, and the last
 * error ('cancelled' after Cancel). One place for what the four panels did alike.
 */
import { newJobId } from './api.js';

export class PanelJob {
  id = $state<string | null>(null);
  error = $state<string | null>(null);

  /** Runs `work` under a fresh job id and hands its result to `done`; a failure is kept in `error`. */
  async run<T>(work: (jobId: string) => Promise<T>, done: (r: T) => void): Promise<void> {
    const jobId = newJobId();
    this.id = jobId;
    this.error = null;
    try {
      done(await work(jobId));
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.id = null;
    }
  }
}
