import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { fileHash, HASH_WORKER_MIN_BYTES } from './hash-worker.js';

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

describe('fileHash', () => {
  it('hashes small files on this thread (node:crypto Hash)', () => {
    const h = fileHash(1000);
    expect(h.constructor.name).toBe('Hash');
    h.update(Buffer.from('abc'));
    expect(h.digest('hex')).toBe(createHash('sha256').update('abc').digest('hex'));
  });
  it('off-thread: the digest of exactly the bytes passed, in order, with the caller reusing its buffer', () => {
    const h = fileHash(HASH_WORKER_MIN_BYTES, 1);
    expect(h.constructor.name).not.toBe('Hash');
    const ref = createHash('sha256');
    // More chunks than ring slots, a chunk bigger than a slot, an empty one, odd sizes.
    const sizes = [1 << 20, 3, 0, (1 << 20) + 7, 2_500_000, ...Array.from({ length: 20 }, (_, i) => 65_536 * (i + 1) + i)];
    const reused = Buffer.alloc(3 << 20);
    sizes.forEach((n, i) => {
      const b = bytes(n, i + 1);
      b.copy(reused);
      const chunk = reused.subarray(0, n);
      h.update(chunk);
      ref.update(b);
      // Overwritten right away, as readFileLines does with its read buffers.
      reused.fill(0xaa);
    });
    expect(h.digest('hex')).toBe(ref.digest('hex'));
  });
  it('stays on this thread when no core is spare', () => {
    expect(fileHash(HASH_WORKER_MIN_BYTES, 0.4).constructor.name).toBe('Hash');
  });
  it('off-thread, nothing hashed: the digest of no bytes', () => {
    const h = fileHash(HASH_WORKER_MIN_BYTES, 1);
    expect(h.digest('hex')).toBe(createHash('sha256').digest('hex'));
  });
});
