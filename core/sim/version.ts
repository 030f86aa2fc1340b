import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { compiledPath } from '../paths.js';

/** The model's release name; bump it with behaviour changes worth naming (it is also in calibrated-params.json). */
export const MODEL_RELEASE = 'rxsim-1.0.0';

/**
 * Version of the receive-path model, recorded in every result and part of every cache key. It carries
 * a hash of the compiled model code, so a changed model can never be served stale cached points even if
 * nobody remembered to bump MODEL_RELEASE. Always hashed from out/ (what the worker threads run), so
 * tests running from TS source and the workers agree.
 */
function modelCodeHash(withParams: boolean): string {
  const files = modelFiles(compiledPath('core', 'sim', 'run.js'));
  if (files === null) return 'unbuilt';
  const h = createHash('sha256');
  for (const f of files) {
    if (f.endsWith('.json')) {
      if (!withParams) continue;
      // The parameter file reaches out/ two ways (tsc re-prints it, `rxlab calibrate` copies it as
      // written); hash its content, not its formatting, so both give the same version.
      h.update(JSON.stringify(JSON.parse(readFileSync(f, 'utf8'))));
    } else h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 10);
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * Every compiled file the model's run imports, transitively (relative imports only; packages are pinned
 * by the lockfile), sorted by path: the engine, event queue and random numbers decide the results as much
 * as the model does, so a change to any of them must change the version. Null when out/ is not built.
 */
export function modelFiles(entry: string): string[] | null {
  const seen = new Set<string>();
  const walk = (f: string): boolean => {
    if (seen.has(f)) return true;
    if (!existsSync(f)) return false;
    seen.add(f);
    if (!f.endsWith('.js')) return true;
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT_RE)) {
      const rel = m[1] ?? m[2] ?? m[3];
      if (rel !== undefined && !walk(resolve(dirname(f), rel))) return false;
    }
    return true;
  };
  if (!walk(entry)) return null;
  const root = compiledPath();
  return [...seen].sort((a, b) => (relative(root, a) < relative(root, b) ? -1 : 1));
}

export const MODEL_VERSION = `${MODEL_RELEASE}+${modelCodeHash(true)}`;

/**
 * The model code alone (calibrated-params.json left out): what `rxlab calibrate` records as the
 * model it fitted. With the parameters in, the file would name the version of the parameters it
 * replaces, and a re-run could never reproduce it byte for byte.
 */
export const MODEL_CODE_VERSION = `${MODEL_RELEASE}+code.${modelCodeHash(false)}`;
