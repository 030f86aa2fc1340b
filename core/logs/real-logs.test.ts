import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from './import.js';
import { realLogsDir } from './real-logs-dir.js';

const ROOT = realLogsDir();
const TOOLS = ['netperf', 'oprofile', 'perf', 'iperf3', 'flent'] as const;

describe('every real sample imports with the right tool', () => {
  const files = TOOLS.flatMap((t) => readdirSync(join(ROOT, t)).map((f) => ({ tool: t, file: f })));
  it('has every sample SOURCES.md lists (57 files; the brief says 59)', () => {
    const listed = readFileSync(join(ROOT, 'SOURCES.md'), 'utf8').split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2).split(' — ')[0]);
    expect(files.map((f) => f.file).sort()).toEqual([...listed].sort());
  });
  for (const { tool, file } of files) {
    it(`${tool}/${file}`, async () => {
      const r = await importFile(join(ROOT, tool, file));
      expect(r.doc.tool).toBe(tool);
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
      if (tool === 'oprofile' || tool === 'perf') expect(r.doc.profiles.length).toBeGreaterThan(0);
      else expect(r.doc.records.length).toBeGreaterThan(0);
      // The ImportDoc is plain JSON (the CLI prints it, the store keeps it).
      expect(JSON.parse(JSON.stringify(r.doc))).toEqual(r.doc);
    });
  }
});
