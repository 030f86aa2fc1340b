/** A subcommand of the `rxlab` CLI. Each feature area exports a list of these; core/cli.ts dispatches. */
export interface CliIO {
  /** Standard output (results, JSON). */
  out(text: string): void;
  /** Standard error (progress, warnings, `FILE:LINE: what is wrong`). */
  err(text: string): void;
  /** Database path chosen with --db, or undefined for the default in the user's data directory. */
  dbPath: string | undefined;
  /** Aborted on SIGINT/SIGTERM so long work can stop cleanly. */
  signal: AbortSignal;
  /** Which of the two aborted `signal` (absent: Ctrl+C, as tests and embedders abort it). */
  stoppedBy?: () => 'SIGINT' | 'SIGTERM' | undefined;
}

/**
 * How a cancelled command says so, and its exit code: Ctrl+C and the shell's 130, or SIGTERM (a
 * scheduler or `kill` stopping it) and 143, so a log does not claim a Ctrl+C nobody typed.
 */
export function stopped(io: CliIO): { why: string; code: number } {
  return io.stoppedBy?.() === 'SIGTERM' ? { why: 'SIGTERM', code: 143 } : { why: 'Ctrl+C', code: 130 };
}

export interface CommandSpec {
  /** e.g. "run", "reproduce", "bench", "import". */
  name: string;
  /** One line for `rxlab --help`. */
  summary: string;
  /** Full usage text for `rxlab NAME --help`. */
  usage: string;
  /** Returns the process exit code (0 ok, 1 failure, 2 bad input). */
  run(args: string[], io: CliIO): Promise<number>;
}
