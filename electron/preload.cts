// Thin preload (after Signal's channels.preload): exposes exactly three functions, no Node or Electron objects.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('rxlab', {
  // A large answer (a traced simulation's runs) comes as the envelope's JSON text, printed by a worker:
  // parsed here, in the page's process, not in the main process that serves every window.
  call: async (method: string, input: unknown): Promise<unknown> => {
    const answer: unknown = await ipcRenderer.invoke('rxlab:call', method, input);
    return typeof answer === 'string' ? (JSON.parse(answer) as unknown) : answer;
  },
  onEvent: (listener: (e: unknown) => void): (() => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on('rxlab:event', wrapped);
    return () => ipcRenderer.removeListener('rxlab:event', wrapped);
  },
  exportPdf: (notebookId: number): Promise<unknown> => ipcRenderer.invoke('rxlab:export-pdf', notebookId),
});
