// `npm ci` does not link a project's own command into node_modules/.bin, so `npx rxlab` in a checkout
// fell back to installing the checkout as a package and building it again (18–30 s a call). A link
// makes npx find it at once (its own start-up, ≈ 1.5 s, remains; `node bin/rxlab.js` skips even that).
import { existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'rxlab');
const target = join(root, 'bin', 'rxlab.js');
const present = (() => {
  try {
    lstatSync(link);
    return true;
  } catch {
    return false;
  }
})();
if (process.platform !== 'win32' && existsSync(join(root, 'node_modules')) && !present) {
  mkdirSync(binDir, { recursive: true });
  symlinkSync(relative(binDir, target), link);
}
