import { describe, expect, it } from 'vitest';
import { schemas } from './schemas.js';

describe('log.import dataBase64', () => {
  const parse = (dataBase64: string) => schemas['log.import'].safeParse({ fileName: 'x.txt', dataBase64 });
  it('accepts base64 with line breaks and padding, and refuses anything else', () => {
    expect(parse('aGVsbG8=').success).toBe(true);
    expect(parse('aGVs\nbG8g\r\nd29y bGQ=\n').success).toBe(true);
    expect(parse('aGVsbA==\n').success).toBe(true);
    expect(parse('aGVsbA===').success).toBe(false);
    expect(parse('aGVs!bG8=').success).toBe(false);
  });
  it('refuses a body of whitespace and one bad character in linear time (the check had backtracked: 60 KB froze the server 4 s)', () => {
    // 100 KB: linear takes about a millisecond, the quadratic check took about 12 s (a thousandfold margin,
    // and small enough that a regression fails here rather than hanging the suite)
    for (const ws of [' ', '\n']) {
      const t0 = performance.now();
      expect(parse(`${ws.repeat(100_000)}!`).success).toBe(false);
      expect(performance.now() - t0).toBeLessThan(1000);
    }
    expect(parse(`${'A'.repeat(500_000)}${' '.repeat(500_000)}=`).success).toBe(true);
  });
});
