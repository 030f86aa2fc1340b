/**
 * Worker thread for the second half of a split netperf parse (split-second-half.ts): posts one
 * SplitWorkerResult; a 'cancel' message stops it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordSpill } from '../record-spill.js';
import { parseSecondHalf } from './split-second-half.js';
import type { SplitWorkerData, SplitWorkerResult } from './split-types.js';

async function main(port: NonNullable<typeof parentPort>, data: SplitWorkerData): Promise<void> {
  const ctl = new AbortController();
  port.on('message', (m) => {
    if (m === 'cancel') ctl.abort();
  });
  try {
    const result = await parseSecondHalf(data, ctl.signal);
    port.postMessage(result, RecordSpill.transferList(result.records));
  } catch (e) {
    // The records' file is the caller's: it closes it on a failure.
    const result: SplitWorkerResult = { ok: false, message: e instanceof Error ? e.message : String(e) };
    port.postMessage(result);
  } finally {
    port.close();
  }
}

if (parentPort !== null) void main(parentPort, workerData as SplitWorkerData);
