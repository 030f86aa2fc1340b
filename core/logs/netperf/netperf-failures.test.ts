import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../import.js';
import { LogParseError } from '../errors.js';

const doc = (s: string) => importBytesSync('np.txt', new TextEncoder().encode(s)).doc;

describe('netperf failures are records with error, not crashes', () => {
  it('no netserver: establish control error', () => {
    const d = doc(`$ netperf -H 10.0.0.9 -t TCP_STREAM
establish control: are you sure there is a netserver listening on 10.0.0.9 at port 12865?
establish_control could not establish the control connection from 0.0.0.0 port 0 address family AF_UNSPEC to 10.0.0.9 port 12865 address family AF_INET
`);
    expect(d.records).toHaveLength(1);
    expect(d.records[0]).toMatchObject({ line: 2, test: 'TCP_STREAM' });
    expect(d.records[0]?.error).toMatch(/are you sure there is a netserver/);
    expect(d.records[0]?.error).toMatch(/could not establish/);
  });
  it('error after the banner belongs to that run', () => {
    const d = doc(`MIGRATED TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to 10.0.0.2 () port 0 AF_INET
send_data: data send error: errno 104
netperf: send_omni: send_data failed: Connection reset by peer
TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to 10.0.0.2 (10.0.0.2) port 0 AF_INET
Recv   Send    Send
Socket Socket  Message  Elapsed
Size   Size    Size     Time     Throughput
bytes  bytes   bytes    secs.    10^6bits/sec

 87380  16384  16384    10.00     941.12
`);
    expect(d.records).toHaveLength(2);
    expect(d.records[0]?.error).toMatch(/^send_data: data send error: errno 104\nnetperf: send_omni/);
    expect(d.records[1]).toMatchObject({ throughput: 941.12 });
    expect(d.records[1]?.error).toBeUndefined();
    expect(d.warnings[0]).toMatch(/^line 1: TCP_STREAM run: send_data/);
  });
  it('banner with nothing after it (killed run) and interim-only runs', () => {
    const d = doc(`TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to a (1.1.1.1) port 0 AF_INET : demo
Interim result:  100.00 10^6bits/s over 1.00 seconds
TCP_RR TEST
UDP REQUEST/RESPONSE TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to a (1.1.1.1) port 0 AF_INET
`);
    expect(d.records.map((r) => r.error?.slice(0, 40))).toEqual(['run cut off: interim results were printe', 'run cut off or failed: the banner was pr']);
    expect(d.records[0]?.interim?.throughput).toEqual([100]);
  });
  it('a file with no netperf run at all is a FILE:LINE error', () => {
    expect(() => importBytesSync('np.txt', new TextEncoder().encode('Recv   Send    Send\nSocket Socket  Message  Elapsed\n'))).toThrow(LogParseError);
    expect(() => importBytesSync('np.txt', new TextEncoder().encode('hello world\n'))).toThrow(/^np\.txt:1: cannot tell which tool/);
  });
});
