/**
 * Seeded xoshiro128** generator.
 *
 * Why xoshiro128** and 32-bit arithmetic: every operation is exact in JS via Math.imul and
 * unsigned shifts, so a given seed yields the same stream on every platform and in the C
 * baseline (bench/mm1.c mirrors this code bit for bit).
 *
 * Seeding: a 64-bit "key" (two uint32 words) is derived from the seed; the four state words
 * are drawn from a splitmix32-style sequence started at that key. fork(stream) hashes the key
 * with the stream number into a new key, so forks depend only on (seed, stream path) and not
 * on how many numbers were drawn before: that is what gives common random numbers across
 * configurations.
 */

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;
const GOLDEN = 0x9e3779b9;

/** murmur3 fmix32: a bijective avalanche on 32 bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function splitNumber(x: number, what: string): [number, number] {
  if (!Number.isFinite(x) || !Number.isInteger(x) || Math.abs(x) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`Rng: ${what} must be a safe integer, got ${x}`);
  }
  // Negative seeds are folded via two's complement of the low word and a flag in the high word,
  // so -1 and 1 give different streams.
  const neg = x < 0 ? 1 : 0;
  const ax = Math.abs(x);
  const lo = ax >>> 0;
  const hi = (Math.floor(ax / TWO_POW_32) ^ (neg ? 0x80000000 : 0)) >>> 0;
  return [lo, hi];
}

export class Rng {
  // State words in an Int32Array: plain object fields holding values above 2^30 would be
  // stored as boxed doubles in V8 (pointer-compressed Smis are 31-bit), measured ~25% slower.
  private readonly s = new Int32Array(4);
  // 64-bit key this generator was seeded from; fork() derives child keys from it.
  private k0 = 0;
  private k1 = 0;
  // Spare deviate from Box–Muller (NaN = none); part of the state so streams stay reproducible.
  private spare = NaN;

  constructor(seed: number) {
    const [lo, hi] = splitNumber(seed, 'seed');
    this.setKey(fmix32(lo ^ fmix32(hi + GOLDEN)), fmix32(hi ^ fmix32(lo + 0x6a09e667)));
  }

  private setKey(k0: number, k1: number): void {
    this.k0 = k0 >>> 0;
    this.k1 = k1 >>> 0;
    const st = this.s;
    let x = this.k0 ^ Math.imul(this.k1, 0x27d4eb2d);
    x = (x + GOLDEN) | 0;
    st[0] = fmix32(x);
    x = (x + GOLDEN) | 0;
    st[1] = fmix32(x ^ this.k1);
    x = (x + GOLDEN) | 0;
    st[2] = fmix32(x);
    x = (x + GOLDEN) | 0;
    st[3] = fmix32(x ^ this.k1);
    // xoshiro must never be all-zero; this is astronomically unlikely but cheap to guard.
    if (((st[0] as number) | (st[1] as number) | (st[2] as number) | (st[3] as number)) === 0) st[0] = 1;
    this.spare = NaN;
  }

  /** Next raw 32-bit output as an unsigned integer. */
  nextU32(): number {
    const st = this.s;
    const s0 = st[0] as number;
    const s1 = st[1] as number;
    let s2 = st[2] as number;
    let s3 = st[3] as number;
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    st[1] = s1 ^ s2;
    st[0] = s0 ^ s3;
    st[2] = s2 ^ t;
    st[3] = (s3 << 11) | (s3 >>> 21);
    return r >>> 0;
  }

  /** Uniform in [0, 1) with 32-bit resolution (enough for simulation; keeps C/JS parity simple). */
  next(): number {
    return this.nextU32() * INV_TWO_POW_32;
  }

  /** Exponential with the given mean, by inversion (1 - u is in (0, 1], so log never sees 0). */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.nextU32() * INV_TWO_POW_32);
  }

  /** Normal via Box–Muller; the second deviate is cached. */
  normal(mean: number, sd: number): number {
    let z = this.spare;
    if (z === z) {
      this.spare = NaN;
    } else {
      const u1 = 1 - this.next(); // (0, 1]
      const u2 = this.next();
      const r = Math.sqrt(-2 * Math.log(u1));
      const th = 2 * Math.PI * u2;
      z = r * Math.cos(th);
      this.spare = r * Math.sin(th);
    }
    return mean + sd * z;
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (multiply-shift; bias < n / 2^32). */
  int(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n)) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    return Math.floor(this.nextU32() * INV_TWO_POW_32 * n);
  }

  /**
   * Independent stream derived from this generator's seed key and `stream` (a safe integer).
   * Does not consume or depend on this generator's draws.
   */
  fork(stream: number): Rng {
    const [lo, hi] = splitNumber(stream, 'stream');
    // Construct normally (one hidden class for all Rng objects), then re-key.
    const child = new Rng(0);
    const a = fmix32(this.k0 ^ fmix32(lo + 0x3c6ef372));
    const b = fmix32(this.k1 ^ fmix32(hi + 0xa54ff53a) ^ a);
    child.setKey(a, b);
    return child;
  }
}
