import type { Db } from '../store/db.js';
import { listNotebooks } from '../store/notebooks.js';
import { UsageError } from '../cli-args.js';

/** `--notebook 3` or `--notebook "Reproduce the paper"`: an id, else an exact (then case-insensitive) title. */
export function resolveNotebook(db: Db, ref: string): number {
  const all = listNotebooks(db);
  if (/^\d+$/.test(ref)) {
    const id = Number(ref);
    if (all.some((n) => n.id === id)) return id;
  }
  let hits = all.filter((n) => n.title === ref);
  if (!hits.length) hits = all.filter((n) => n.title.toLowerCase() === ref.toLowerCase());
  if (hits.length === 1 && hits[0]) return hits[0].id;
  if (hits.length > 1) throw new UsageError(`--notebook "${ref}" matches ${hits.length} notebooks (ids ${hits.map((n) => n.id).join(', ')}); pass the id`);
  throw new UsageError(`--notebook "${ref}": no such notebook. Notebooks: ${all.slice(0, 10).map((n) => `${n.id} "${n.title}"`).join(', ') || 'none'}`);
}
