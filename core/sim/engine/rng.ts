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

/**
 * Math.log(1 - r / 2^32) for an unsigned 32-bit integer r, bit for bit, without calling Math.log.
 *
 * Why: the log is the costliest step of every exponential draw, and V8's Math.log is a call out
 * of JIT code into C++ that V8 cannot inline or overlap; this version is inlined into Rng's block
 * fill loop (M/M/1 benchmark ~7% faster than with Math.log there). This is fdlibm's log
 * algorithm (Sun Microsystems' e_log.c, "Copyright (C) 1993 by Sun Microsystems, Inc. All rights
 * reserved. Developed at SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy,
 * modify, and distribute this software is freely granted, provided that this notice is
 * preserved."), which V8 uses for Math.log, specialised to the inputs an Exp draw produces:
 *  - x = 1 - r / 2^32 = m / 2^32 with m = 2^32 - r an integer in [1, 2^32], so the exponent and
 *    high mantissa word come from Math.clz32 and shifts instead of reading the double's bits, and
 *    the special cases (0, negative, subnormal, Inf, NaN) cannot occur;
 *  - fdlibm's k = 0 branches are folded into the general formulas: with k = 0 these compute
 *    0 - (t - f), which equals fdlibm's f - t exactly (round-to-nearest is symmetric; the result
 *    is never zero here, x = 1 is handled first), and its f = 0 case into the |f| < 2^-20 formula
 *    (it then gives k*ln2_hi - (-(k*ln2_lo)) = k*ln2_hi + k*ln2_lo exactly).
 * Every remaining operation is the same IEEE double operation in the same order as fdlibm, so the
 * result equals Math.log's; rng.test.ts checks that on a stride through all 2^32 inputs plus the
 * edges (an exhaustive check over all 2^32 inputs passed when this was written). JS has no fused
 * multiply-add, so unlike a C build the result cannot depend on the platform.
 *
 * All three of fdlibm's final formulas are evaluated and the applicable one is picked at the end.
 * Why: the |f| < 2^-20 case occurs a few times per million draws; as a branch of its own it
 * reached V8's optimised code with no type feedback and deoptimised every function this is inlined
 * into, several times per run. The extra multiply-adds cost less than those recompilations.
 */
export function logOneMinusU32(r: number): number {
  // fdlibm's constants are written out as literals (hex words in the comments): module-level
  // consts cost bytecode per use, and the bytecode size decides whether V8 inlines this.
  if (r === 0) return 0; // log(1)
  const m = -r | 0; // bit pattern of 2^32 - r
  const lz = Math.clz32(m);
  const mn = m << lz; // mantissa with the leading 1 in bit 31
  const hx = (mn >>> 11) & 0xfffff; // fdlibm's hx & 0xfffff: the 20 bits after the leading 1
  // fdlibm normalises to x or x/2 so that 1 + f lies in [sqrt(2)/2, sqrt(2)).
  const half = ((hx + 0x95f64) >> 20) & 1;
  const k = half - 1 - lz;
  // 1 + f = mn / 2^31 (or half that): both scalings are by powers of two, so f is exact.
  const f = (mn >>> 0) * 4.656612873077392578125e-10 * (1 - 0.5 * half) - 1;
  const kHi = k * 6.9314718036912381649e-1; // ln2_hi 3fe62e42 fee00000
  const kLo = k * 1.90821492927058770002e-10; // ln2_lo 3dea39ef 35793c76
  // |f| < 2^-20 (fdlibm spells the constant 0.33333333333333333: the same double, 1/3 rounded)
  const tiny = kHi - (f * f * (0.5 - 0.3333333333333333 * f) - kLo - f);
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  // Lg2 3fd99999 9997fa04, Lg4 3fcc71c5 1d8e78af, Lg6 3fc39a09 d078c69f
  const t1 = w * (3.999999999940941908e-1 + w * (2.222219843214978396e-1 + w * 1.531383769920937332e-1));
  // Lg1 3fe55555 55555593, Lg3 3fd24924 94229359, Lg5 3fc74664 96cb03de, Lg7 3fc2f112 df3e5244
  const t2 =
    z *
    (6.66666666666673513e-1 +
      w * (2.857142874366239149e-1 + w * (1.818357216161805012e-1 + w * 1.479819860511658591e-1)));
  const R = t2 + t1;
  const hfsq = 0.5 * f * f;
  const accurate = kHi - (hfsq - (s * (hfsq + R) + kLo) - f);
  const plain = kHi - (s * (f - R) - kLo - f);
  return ((2 + hx) & 0xfffff) < 3 ? tiny : ((hx - 0x6147a) | (0x6b851 - hx)) > 0 ? accurate : plain;
}

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

/** Outputs generated per block (see Rng). */
const BLOCK = 64;

/**
 * Why outputs come in blocks: a discrete-event loop is a chain of dependent steps (the next event
 * is known only once the last draw is scheduled), and the log in an exponential draw is a long
 * chain of dependent floating-point operations (~90 cycles). Done at the moment of the draw, its
 * latency lands on the event loop's critical path once per draw. Generated a block ahead, the logs
 * of one block are independent of each other, so the CPU overlaps them, and a draw is a load.
 * The values and their order are exactly those of generating one output at a time: the block is
 * just the next BLOCK outputs of the same xoshiro128** sequence, consumed in order by every
 * method, whichever mix of methods draws them.
 */
export class Rng {
  // State words in an Int32Array: plain object fields holding values above 2^30 would be
  // stored as boxed doubles in V8 (pointer-compressed Smis are 31-bit), measured ~25% slower.
  private readonly s = new Int32Array(4);
  // The next outputs raw[pos], raw[pos+1] … raw[len-1] (uint32 bit patterns); s is the state
  // after raw[len-1]. lg[i] = Math.log(1 - raw[i] / 2^32), filled for i < lgEnd on first need.
  private readonly raw = new Int32Array(BLOCK);
  private readonly lg = new Float64Array(BLOCK);
  private pos = 0;
  private len = 0;
  private lgEnd = 0;
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
    this.pos = 0;
    this.len = 0;
    this.lgEnd = 0;
  }

  /** Generates the next BLOCK outputs of xoshiro128** into raw (called when all are used). */
  private refill(): void {
    const st = this.s;
    const raw = this.raw;
    let s0 = st[0] as number;
    let s1 = st[1] as number;
    let s2 = st[2] as number;
    let s3 = st[3] as number;
    for (let i = 0; i < BLOCK; i++) {
      const m = Math.imul(s1, 5);
      raw[i] = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    this.pos = 0;
    this.len = BLOCK;
    this.lgEnd = 0;
  }

  /** Fills lg for the rest of the block (refilling first if it is used up). */
  private fillLogs(): void {
    if (this.pos === this.len) this.refill();
    const raw = this.raw;
    const lg = this.lg;
    const n = this.len;
    for (let i = this.pos; i < n; i++) lg[i] = logOneMinusU32((raw[i] as number) >>> 0);
    this.lgEnd = n;
  }

  /** Math.log(1 - u) for the next output u = nextU32() / 2^32, consuming it. */
  private nextLog(): number {
    if (this.pos >= this.lgEnd) this.fillLogs();
    return this.lg[this.pos++] as number;
  }

  /** Next raw 32-bit output as an unsigned integer. */
  nextU32(): number {
    if (this.pos === this.len) this.refill();
    return (this.raw[this.pos++] as number) >>> 0;
  }

  /** Uniform in [0, 1) with 32-bit resolution (enough for simulation; keeps C/JS parity simple). */
  next(): number {
    return this.nextU32() * INV_TWO_POW_32;
  }

  /**
   * Exponential with the given mean, by inversion: -mean * Math.log(1 - u), u = nextU32() / 2^32
   * (1 - u is in (0, 1], so log never sees 0); the log comes precomputed with the block (see
   * above), by logOneMinusU32, which gives Math.log's value.
   */
  exp(mean: number): number {
    return -mean * this.nextLog();
  }

  /** Normal via Box–Muller; the second deviate is cached. */
  normal(mean: number, sd: number): number {
    let z = this.spare;
    if (z === z) {
      this.spare = NaN;
    } else {
      // Math.log(u1) for u1 = 1 - next() in (0, 1], computed as in exp().
      const logU1 = this.nextLog();
      const u2 = this.next();
      const r = Math.sqrt(-2 * logU1);
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
