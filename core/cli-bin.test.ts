import { execFileSync, spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('the rxlab command in a checkout', () => {
  it('is linked into node_modules/.bin by npm ci (prepare), so npx runs it without rebuilding the checkout', () => {
    // without the link, `npx rxlab` installed the checkout as a package and ran its build again (18–30 s a call)
    expect(realpathSync(join(root, 'node_modules', '.bin', 'rxlab'))).toBe(realpathSync(join(root, 'bin', 'rxlab.js')));
    expect(execFileSync(join(root, 'node_modules', '.bin', 'rxlab'), ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('help names a command it does not know as an error (exit 2), and prints a known one\'s usage', () => {
    const bin = join(root, 'bin', 'rxlab.js');
    const bad = spawnSync(process.execPath, [bin, 'help', 'nosuch'], { encoding: 'utf8' });
    expect([bad.status, bad.stdout, bad.stderr]).toEqual([2, '', 'rxlab help: unknown command "nosuch". Run rxlab --help for the list.\n']);
    const ok = spawnSync(process.execPath, [bin, 'help', 'run'], { encoding: 'utf8' });
    expect([ok.status, ok.stdout.split('\n')[0]]).toEqual([0, expect.stringMatching(/^rxlab run --system NAME/)]);
  });
});
