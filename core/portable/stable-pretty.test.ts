import { describe, expect, it } from 'vitest';
import { stableStringify } from '../store/runs.js';
import { stablePretty, stablePrettyRows } from './stable-pretty.js';

/** The definition the one-pass printer must match byte for byte. */
function oracle(v: unknown): string {
  return `${JSON.stringify(JSON.parse(stableStringify(v)), null, 2)}\n`;
}

/** Deterministic random JSON-ish values, with the awkward cases over-represented. */
function gen(seed: number): () => unknown {
  let x = seed >>> 0 || 1;
  const r = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const keys = ['b', 'a', '0', '10', '9', '01', '-1', '4294967294', '4294967295', '1.5', 'é', '\u{1F600}', '', '__proto__x', 'A', 'Z0'];
  const strs = ['', 'x', 'line\nbreak', 'quote"s', '\ud800 lone', 'ünï', '\u0007ctl', '</script>'];
  const value = (depth: number): unknown => {
    const k = r();
    if (depth > 3 || k < 0.35) {
      const p = r();
      if (p < 0.2) return r() * 1e6 - 5e5;
      if (p < 0.3) return Math.floor(r() * 100);
      if (p < 0.35) return [-0, NaN, Infinity, 1e-7, 2 ** 53][Math.floor(r() * 5)];
      if (p < 0.6) return strs[Math.floor(r() * strs.length)];
      if (p < 0.7) return null;
      if (p < 0.8) return r() < 0.5;
      if (p < 0.9) return undefined;
      return 'plain';
    }
    if (k < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    const n = Math.floor(r() * 6);
    for (let i = 0; i < n; i++) o[keys[Math.floor(r() * keys.length)] as string] = value(depth + 1);
    return o;
  };
  return () => value(0);
}

describe('stablePretty (one pass) prints what stringify → parse → pretty-print printed', () => {
  it('on 3,000 generated values: index-like keys, undefined, NaN, -0, lone surrogates, empty containers', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const v = gen(seed)();
      expect(stablePretty(v), `seed ${seed}`).toBe(oracle(v));
    }
  });

  it('orders array-index keys numerically before the others, like JSON.parse does', () => {
    expect(stablePretty({ b: 1, 10: 2, a: 3, 9: 4, '01': 5 })).toBe('{\n  "9": 4,\n  "10": 2,\n  "01": 5,\n  "a": 3,\n  "b": 1\n}\n');
  });
});

describe('stablePrettyRows (.rxnb format 2)', () => {
  it('reads back as stablePretty does, with one line per row and everything else as stablePretty prints it', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const g = gen(seed);
      const rows = Array.from({ length: seed % 5 }, () => g());
      const v = { b: g(), runs: rows, a: g(), z: { runs: [] } };
      const text = stablePrettyRows(v, 'runs');
      expect(JSON.parse(text), `seed ${seed}`).toEqual(JSON.parse(stablePretty(v)));
      // the rows block is the only difference, and each row is one line
      expect(stablePrettyRows({ ...v, runs: [] }, 'runs')).toBe(stablePretty({ ...v, runs: [] }));
      const lines = text.split('\n');
      const open = lines.indexOf('  "runs": [');
      if (rows.length === 0) expect(open).toBe(-1);
      else expect(lines.slice(open + 1, open + 1 + rows.length).every((l) => l.startsWith('    ') && !l.startsWith('     '))).toBe(true);
    }
  });
});
