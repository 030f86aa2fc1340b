import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measuredTables } from '../logs/measured/tables.js';
import type { ImportDoc } from '../logs/types.js';
import { appRoot } from '../paths.js';
import { useTempService } from './temp-service.js';
import { watchEventLoop } from '../loop-gap.js';
import { loadImportDoc } from '../store/imports.js';

const LOGS = resolve(appRoot(), '..', 'shared', 'real-logs');
const NETPERF_STREAM = join(LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
const NETPERF_RR = join(LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_rr-default.txt');
const XENO = join(LOGS, 'oprofile', 'xenoprof-xen4.1-passive-domains-2event-image-summary-domain-lines-excerpt.txt');

const service = useTempService('rxlab-measured-');

async function importText(fileName: string, data: Buffer | string): Promise<number> {
  const r = await service().invoke('log.import', { fileName, dataBase64: Buffer.from(data).toString('base64') });
  return r.file.id;
}

/** What the handler computed on the main thread before: the reference. */
function onMainThread(fileIds: number[], opts: { system?: string; clockEvent?: string }): ReturnType<typeof measuredTables> {
  const docs = fileIds.map((id) => loadImportDoc<ImportDoc>(service().db, id) as ImportDoc);
  return measuredTables({ netperf: docs.filter((d) => d.tool === 'netperf'), oprofile: docs.filter((d) => d.tool === 'oprofile' || d.tool === 'perf') }, opts);
}

describe('measured.tables (documents parsed and summed in the worker pool)', () => {
  it('gives the same tables and arithmetic as the main-thread computation', async () => {
    const ids = [await importText('stream.txt', readFileSync(NETPERF_STREAM)), await importText('rr.txt', readFileSync(NETPERF_RR)), await importText('xeno.txt', readFileSync(XENO))];
    const opts = { system: 'Xen', clockEvent: 'column 2' };
    const events: unknown[] = [];
    const stop = service().onEvent((e) => events.push(e));
    const got = await service().invoke('measured.tables', { jobId: 'mt-1', fileIds: ids, ...opts });
    stop();
    expect(got).toEqual(onMainThread(ids, opts));
    expect(got.tableIV.throughputMbps?.mean).toBeCloseTo(2997.84, 6);
    expect(got.steps[0]).toBe('Table IV run 1 (line 1): 2997.84 10^6bits/sec = 2,997.84 Mbit/s');
    expect(events).toContainEqual({ type: 'progress', jobId: 'mt-1', done: 1, total: 1, message: 'measured tables' });
    // without options and without a job id too
    expect(await service().invoke('measured.tables', { fileIds: [ids[0] as number] })).toEqual(onMainThread([ids[0] as number], {}));
  });

  it('answers not-found for a file that does not exist, naming it', async () => {
    const r = await service().call('measured.tables', { fileIds: [424242] });
    expect(r).toEqual({ ok: false, error: { code: 'not-found', message: 'imported file 424242 does not exist' } });
  });

  it('keeps the main thread free while a large import is summed', async () => {
    // ~1.5 MB of netperf output: ~4 400 runs, a document of ~1.7 MB
    const one = readFileSync(NETPERF_STREAM, 'utf8');
    const big = Array.from({ length: Math.ceil(1.5e6 / one.length) }, () => one).join('\n');
    const id = await importText('big.txt', big);
    const loop = watchEventLoop();
    const t0 = performance.now();
    const got = await service().invoke('measured.tables', { fileIds: [id] });
    const took = performance.now() - t0;
    const maxGap = await loop.stop();
    expect(got.tableIV.throughputMbps?.values.length).toBeGreaterThan(4000);
    // On the main thread the loop would stall for the whole call; in the pool only the result's
    // arrival costs it a moment. (A call too quick to tell the two apart passes either way.)
    expect(maxGap).toBeLessThan(Math.max(150, took / 2));
  });
});
