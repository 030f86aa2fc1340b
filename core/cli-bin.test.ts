import { execFileSync } from 'node:child_process';
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
});
