/**
 * The renderer's only door to the backend. In Electron it uses the preload bridge (window.rxlab);
 * in browser mode it calls the HTTP API with the token from the URL. Both return the same envelope.
 */
import type { Envelope, Input, Method, Outputs, ServiceEvent, ApiError } from '../../../core/contract/index.js';

interface Bridge {
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (e: ServiceEvent) => void): () => void;
  exportPdf?(notebookId: number): Promise<Envelope<{ saved: boolean; path?: string }>>;
}

declare global {
  interface Window {
    rxlab?: Bridge;
  }
}

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

function browserToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('rxlab-token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('rxlab-token') ?? '';
}

export const token = typeof window !== 'undefined' && !window.rxlab ? browserToken() : '';
export const isElectron = typeof window !== 'undefined' && !!window.rxlab;

async function httpCall(method: string, input: unknown): Promise<Envelope<unknown>> {
  let res: Response;
  try {
    res = await fetch(`./api/call/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rxlab-token': token },
      body: JSON.stringify(input ?? {}),
    });
  } catch (e) {
    return { ok: false, error: { code: 'failed', message: `cannot reach the rxlab server: ${(e as Error).message}` } };
  }
  try {
    return (await res.json()) as Envelope<unknown>;
  } catch {
    return { ok: false, error: { code: 'failed', message: `server answered ${res.status} without JSON` } };
  }
}

export async function call<M extends Method>(method: M, input: Input<M>): Promise<Outputs[M]> {
  const env = window.rxlab ? await window.rxlab.call(method, input) : await httpCall(method, input);
  if (!env.ok) throw new ApiCallError(env.error);
  return env.value as Outputs[M];
}

/**
 * log.import with the file's raw bytes: over IPC as they are, in browser mode as the body of the
 * binary upload route. (Base64 inside JSON froze this page while encoding and the server while decoding.)
 */
export async function importLogBytes(jobId: string, fileName: string, data: Uint8Array<ArrayBuffer>): Promise<Outputs['log.import']> {
  let env: Envelope<unknown>;
  if (window.rxlab) env = await window.rxlab.call('log.import', { jobId, fileName, data });
  else {
    const q = new URLSearchParams({ fileName, jobId });
    try {
      const res = await fetch(`./api/upload/log.import?${q.toString()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-rxlab-token': token },
        body: data,
      });
      env = (await res.json().catch(() => ({ ok: false, error: { code: 'failed', message: `server answered ${res.status} without JSON` } }))) as Envelope<unknown>;
    } catch (e) {
      env = { ok: false, error: { code: 'failed', message: `cannot reach the rxlab server: ${(e as Error).message}` } };
    }
  }
  if (!env.ok) throw new ApiCallError(env.error);
  return env.value as Outputs['log.import'];
}

/**
 * notebook.import with the .rxnb text: over IPC as a call, in browser mode as the body of the raw
 * route (a .rxnb may be 256 MiB; as JSON inside JSON the server would parse it on its event loop).
 */
export async function importNotebookText(text: string): Promise<Outputs['notebook.import']> {
  let env: Envelope<unknown>;
  if (window.rxlab) env = await window.rxlab.call('notebook.import', { text });
  else {
    try {
      const res = await fetch('./api/notebook.rxnb', { method: 'POST', headers: { 'content-type': 'application/json', 'x-rxlab-token': token }, body: text });
      env = (await res.json().catch(() => ({ ok: false, error: { code: 'failed', message: `server answered ${res.status} without JSON` } }))) as Envelope<unknown>;
    } catch (e) {
      env = { ok: false, error: { code: 'failed', message: `cannot reach the rxlab server: ${(e as Error).message}` } };
    }
  }
  if (!env.ok) throw new ApiCallError(env.error);
  return env.value as Outputs['notebook.import'];
}

type Listener = (e: ServiceEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | undefined;
let unsubscribeBridge: (() => void) | undefined;

/** Subscribes to progress and job events; returns the unsubscribe function. */
export function onEvent(listener: Listener): () => void {
  listeners.add(listener);
  if (window.rxlab && !unsubscribeBridge) {
    unsubscribeBridge = window.rxlab.onEvent((e) => listeners.forEach((l) => l(e)));
  } else if (!window.rxlab && !source) {
    source = new EventSource(`./api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (m: MessageEvent<string>) => {
      const e = JSON.parse(m.data) as ServiceEvent;
      listeners.forEach((l) => l(e));
    };
  }
  return () => listeners.delete(listener);
}

export function newJobId(): string {
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Fire-and-forget call that survives the page unloading (reload, window close): fetch keepalive in
 * browser mode (bodies up to 64 KB), the preload bridge in Electron (the IPC message leaves at once).
 */
export function callOnUnload<M extends Method>(method: M, input: Input<M>): void {
  if (window.rxlab) {
    void window.rxlab.call(method, input);
    return;
  }
  void fetch(`./api/call/${method}`, {
    method: 'POST',
    keepalive: true,
    headers: { 'content-type': 'application/json', 'x-rxlab-token': token },
    body: JSON.stringify(input ?? {}),
  }).catch(() => undefined);
}
