import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  const dir = compiledPath('core', 'sim');
  const files = ['run.js', 'params.js', 'systems.js', ...(withParams ? ['calibrated-params.json'] : [])].map((f) => join(dir, f));
  const modelDir = join(dir, 'model');
  if (!existsSync(modelDir) || files.some((f) => !existsSync(f))) return 'unbuilt';
  for (const f of readdirSync(modelDir).sort()) if (f.endsWith('.js')) files.push(join(modelDir, f));
  const h = createHash('sha256');
  for (const f of files) {
    // The parameter file reaches out/ two ways (tsc re-prints it, `rxlab calibrate` copies it as
    // written); hash its content, not its formatting, so both give the same version.
    if (f.endsWith('.json')) h.update(JSON.stringify(JSON.parse(readFileSync(f, 'utf8'))));
    else h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 10);
}

export const MODEL_VERSION = `${MODEL_RELEASE}+${modelCodeHash(true)}`;

/**
 * The model code alone (calibrated-params.json left out): what `rxlab calibrate` records as the
 * model it fitted. With the parameters in, the file would name the version of the parameters it
 * replaces, and a re-run could never reproduce it byte for byte.
 */
export const MODEL_CODE_VERSION = `${MODEL_RELEASE}+code.${modelCodeHash(false)}`;
