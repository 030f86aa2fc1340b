import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Envelope } from '../core/contract/index.js';
import { isTrustedSender } from './security.js';

/**
 * The one way the renderer reaches the main process: every channel goes through this helper, which
 * checks the sender frame before anything runs and always answers with the {ok, value}|{ok:false, error}
 * envelope (schemas are checked by Service.call, the same code the HTTP host uses), or with that
 * envelope's JSON text when a worker printed the answer (Service.reply; the preload parses it).
 */
export function handle(channel: string, fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<Envelope<unknown> | string>): void {
  ipcMain.handle(channel, async (event, ...args: unknown[]) => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame?.url, frame !== null && frame === event.sender.mainFrame)) {
      return { ok: false, error: { code: 'unauthorized', message: `IPC ${channel}: refused sender ${frame?.url ?? '(gone)'}` } } satisfies Envelope<unknown>;
    }
    try {
      return await fn(event, ...args);
    } catch (e) {
      return { ok: false, error: { code: 'failed', message: e instanceof Error ? e.message : String(e) } } satisfies Envelope<unknown>;
    }
  });
}
