import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The shared real-log samples live beside the repository, never inside it (they are data). */
export function realLogsDir(): string {
  const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
  // Built code runs from out/core/logs; step out of out/ too.
  const root = repoRoot.endsWith('/out') ? resolve(repoRoot, '..') : repoRoot;
  return resolve(root, '../shared/real-logs');
}
