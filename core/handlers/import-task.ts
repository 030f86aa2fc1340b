/**
 * Worker-thread task: parse uploaded log bytes off the main thread (Electron main process or the
 * HTTP server's event loop must never parse a 300 MB log). Parse errors are returned as data, since
 * a custom Error subclass loses its name and fields crossing the thread boundary.
 */
import { importBytesSync, type ImportResult } from '../logs/import.js';
import { LogParseError } from '../logs/errors.js';

export interface ImportTaskRequest {
  name: string;
  bytes: Uint8Array;
}
export type ImportTaskResponse = { ok: true; result: ImportResult } | { ok: false; file: string; line: number; message: string };

export function runImportTask(req: ImportTaskRequest): ImportTaskResponse {
  try {
    return { ok: true, result: importBytesSync(req.name, req.bytes) };
  } catch (e) {
    if (e instanceof LogParseError) return { ok: false, file: e.file, line: e.line, message: e.message };
    throw e;
  }
}
