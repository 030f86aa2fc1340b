import type { SpillFile, SpillTransfer } from '../record-spill.js';
import type { SplitPart } from './parse-netperf.js';

/** Runs opened in the second half at which the first half tries to join it (they are a few lines apart). */
export const MAX_CHECKPOINTS = 64;

export interface SplitWorkerData {
  path: string;
  /** Byte offset of a line start: the worker parses from here to the end. */
  start: number;
  /** The temporary file for the worker's records, opened by the thread that reads them (see RecordSpill). */
  spillFile: SpillFile;
}

/** A line of the second half after which the parser's state key was `key`, with `runsBefore` runs pushed. */
export interface SplitCheckpoint {
  line: number;
  key: string;
  runsBefore: number;
}

/** The second half's SplitPart, with its records detached to cross threads. */
export type SplitWorkerResult =
  | (Omit<SplitPart, 'records'> & {
      ok: true;
      /** Lines in the whole file (the worker numbers lines as the file does). */
      lines: number;
      checkpoints: SplitCheckpoint[];
      records: SpillTransfer;
    })
  | { ok: false; message: string };
