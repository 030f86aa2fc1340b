import { randomUUID } from 'node:crypto';
import type { PartialHandlers } from './context.js';
import {
  createNotebook,
  duplicateNotebook,
  getNotebook,
  getSummary,
  listNotebooks,
  renameNotebook,
  saveCells,
  setDeleted,
} from '../store/notebooks.js';
import { templateCells } from '../templates.js';
import { safeFileName } from '../report/build.js';
import { exportNotebookOffThread, importNotebookOffThread } from './store-client.js';

type NotebookMethods =
  | 'notebook.list'
  | 'notebook.create'
  | 'notebook.get'
  | 'notebook.rename'
  | 'notebook.duplicate'
  | 'notebook.delete'
  | 'notebook.restore'
  | 'notebook.save'
  | 'notebook.export'
  | 'notebook.import';

export const notebookHandlers: PartialHandlers<NotebookMethods> = {
  'notebook.list': (ctx, i) => listNotebooks(ctx.db, i.includeDeleted),
  'notebook.create': (ctx, i) => {
    const nb = createNotebook(ctx.db, i.title, templateCells(i.template));
    ctx.emit({ type: 'notebooks-changed' });
    return nb;
  },
  'notebook.get': (ctx, i) => getNotebook(ctx.db, i.id),
  'notebook.rename': (ctx, i) => {
    const s = renameNotebook(ctx.db, i.id, i.title);
    ctx.emit({ type: 'notebooks-changed' });
    return s;
  },
  'notebook.duplicate': (ctx, i) => {
    const nb = duplicateNotebook(ctx.db, i.id, randomUUID);
    ctx.emit({ type: 'notebooks-changed' });
    return nb;
  },
  'notebook.delete': (ctx, i) => {
    setDeleted(ctx.db, i.id, true);
    ctx.emit({ type: 'notebooks-changed' });
    return { id: i.id };
  },
  'notebook.restore': (ctx, i) => {
    setDeleted(ctx.db, i.id, false);
    ctx.emit({ type: 'notebooks-changed' });
    return getSummary(ctx.db, i.id);
  },
  'notebook.save': (ctx, i) => saveCells(ctx.db, i.id, i.cells, i.baseRevision),
  'notebook.export': async (ctx, i) => ({ fileName: safeFileName(getSummary(ctx.db, i.id).title, 'rxnb'), text: await exportNotebookOffThread(ctx.dbPath, i.id) }),
  'notebook.import': async (ctx, i) => {
    const nb = (await importNotebookOffThread(ctx.dbPath, i.text)).notebook;
    ctx.emit({ type: 'notebooks-changed' });
    return nb;
  },
};
