/** Small helpers shared by CLI subcommands: flags are parsed by node:util parseArgs, errors exit 2. */
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
