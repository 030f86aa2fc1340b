import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared real-log samples live beside the repository (repoRoot/../shared/real-logs), never
 * inside it (they are data). Found by walking up from this module, so it works from core/logs
 * (vitest) and from out/core/logs (built); RXLAB_REAL_LOGS overrides.
 */
export function realLogsDir(): string {
  const env = process.env['RXLAB_REAL_LOGS'];
  if (env !== undefined && env !== '') return resolve(env);
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = resolve(dir, '../shared/real-logs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  return resolve(here, '../../../shared/real-logs');
}
