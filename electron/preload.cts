// Thin preload (after Signal's channels.preload): exposes exactly three functions, no Node or Electron objects.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('rxlab', {
  call: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('rxlab:call', method, input),
  onEvent: (listener: (e: unknown) => void): (() => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on('rxlab:event', wrapped);
    return () => ipcRenderer.removeListener('rxlab:event', wrapped);
  },
  exportPdf: (notebookId: number): Promise<unknown> => ipcRenderer.invoke('rxlab:export-pdf', notebookId),
});
