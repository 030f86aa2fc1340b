import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputsByTool, measuredTables } from '../logs/measured/tables.js';
import type { ImportDoc } from '../logs/types.js';
import { appRoot } from '../paths.js';
import { useTempService } from './temp-service.js';
import { watchEventLoop } from '../loop-gap.js';
import { listImports, loadImportDoc } from '../store/imports.js';
import { runMeasuredTask } from './measured-task.js';

const LOGS = resolve(appRoot(), '..', 'shared', 'real-logs');
const NETPERF_STREAM = join(LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
const NETPERF_RR = join(LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_rr-default.txt');
const XENO = join(LOGS, 'oprofile', 'xenoprof-xen4.1-passive-domains-2event-image-summary-domain-lines-excerpt.txt');
const IPERF3_TCP = join(LOGS, 'iperf3', 'iperf3-3.20-J-tcp-2-runs-concatenated-no-intervals-lkp.json');
const IPERF3_UDP = join(LOGS, 'iperf3', 'iperf3-3.20-J-udp-2-runs-concatenated-no-intervals-lkp.json');
const FLENT = join(LOGS, 'flent', 'flent-test-tcp_1up_noping-cpu_stats.flent.gz');

const service = useTempService('rxlab-measured-');

async function importText(fileName: string, data: Buffer | string): Promise<number> {
  const r = await service().invoke('log.import', { fileName, dataBase64: Buffer.from(data).toString('base64') });
  return r.file.id;
}

/** What the handler computed on the main thread before: the reference. */
function onMainThread(fileIds: number[], opts: { system?: string; clockEvent?: string }): ReturnType<typeof measuredTables> {
  const names = new Map(listImports(service().db).map((f) => [f.id, f.fileName]));
  const docs = fileIds.map((id) => {
    const doc = loadImportDoc<ImportDoc>(service().db, id) as ImportDoc;
    return { ...(doc.tool === 'flent' ? { ...doc, records: [] } : doc), fileName: names.get(id) as string };
  });
  return measuredTables(inputsByTool(docs), opts);
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

  it('uses iperf3 TCP runs for Table IV and names the iperf3 UDP and flent files it does not use', async () => {
    const ids = [
      await importText('stream.txt', readFileSync(NETPERF_STREAM)),
      await importText('tcp.json', readFileSync(IPERF3_TCP)),
      await importText('udp.json', readFileSync(IPERF3_UDP)),
      await importText('run.flent.gz', readFileSync(FLENT)),
    ];
    // the task itself, on this thread: the worker pool runs the compiled copy in out/
    const res = runMeasuredTask({ dbPath: service().dbPath, fileIds: ids, options: { system: 'Xen' } });
    if (!res.ok) throw new Error(`file ${res.missingFileId} missing`);
    expect(res.tables).toEqual(onMainThread(ids, { system: 'Xen' }));
    expect(res.tables.tableIV.throughputMbps?.values).toEqual([2997.84, 19900, 21800]);
    expect(res.tables.steps[1]).toBe("Table IV run 2 (iperf3 tcp.json line 1): 19900000000 bits/s (iperf3 TCP, the receiver's rate) = 19,900 Mbit/s");
    expect(res.tables.warnings).toContain('iperf3 udp.json: 2 run(s) not used for Tables IV–VII: UDP (Table IV is TCP throughput)');
    expect(res.tables.warnings).toContainEqual(expect.stringMatching(/^flent run\.flent\.gz: not used for Tables IV–VII \(/));
    // netperf's 16 KB sends beside iperf3's 128 KB blocks: said, not silently averaged
    expect(res.tables.warnings).toContainEqual(expect.stringContaining('different message sizes (16,384 B × 1, 131,072 B × 2)'));
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
