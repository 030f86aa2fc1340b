import type { CliIO } from './cli-types.js';

/** A CliIO that keeps what a command prints, for tests that drive commands in-process. */
export function captureIO(): CliIO & { outText: string; errText: string } {
  const io = {
    outText: '',
    errText: '',
    out(t: string) {
      io.outText += t;
    },
    err(t: string) {
      io.errText += t;
    },
    dbPath: undefined,
    signal: new AbortController().signal,
  };
  return io;
}
