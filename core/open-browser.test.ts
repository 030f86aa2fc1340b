import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBrowser } from './cli.js';

describe('serve --open', () => {
  it('hands the browser a redirect file only this user can read, not the URL with its token (which ps would show)', () => {
    const old = process.env['PATH'];
    process.env['PATH'] = '/nonexistent'; // no xdg-open here: the file is written all the same
    try {
      const dir = openBrowser('http://127.0.0.1:5000/?token=abc&x="y"');
      const file = join(dir, 'open.html');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain('url=http://127.0.0.1:5000/?token=abc&amp;x=&quot;y&quot;');
      rmSync(dir, { recursive: true, force: true });
    } finally {
      process.env['PATH'] = old;
    }
  });
});
