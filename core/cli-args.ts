/** Small helpers shared by CLI subcommands: flags are parsed by node:util parseArgs, errors exit 2. */
import type { CliIO } from './cli-types.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function intFlag(name: string, v: string | undefined, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return def;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name}: expected a whole number, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`--${name}: must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function numFlag(name: string, v: string | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, got "${v}"`);
  if (n < min || n > max) throw new UsageError(`--${name}: must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Progress on stderr: a live line on a terminal; otherwise about `steps` lines, so logs stay readable. */
export function progressLine(io: CliIO, steps: number): { say: (text: string, done: number, total: number) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let printed = 0;
  return {
    say(text, done, total) {
      if (tty) io.err(`\r${text}`);
      else if (done * steps >= (printed + 1) * total) {
        printed = Math.floor((done * steps) / total);
        io.err(`${text}\n`);
      }
    },
    end() {
      if (tty) io.err('\n');
    },
  };
}
