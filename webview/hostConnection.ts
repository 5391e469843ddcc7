/**
 * The webview's side of the protocol: says `ready`, receives snapshots, sends requests with ids
 * and resolves them from the host's responses, and keeps only the selection in the webview state
 * (VS Code hands it to the panel serializer after a reload).
 */
import type { HostMessage, PanelRequest, PanelResponse, PanelSelection, PanelSnapshot } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export type OkResponse = Extract<PanelResponse, { ok: true }>;

export interface HostConnection {
  request(request: PanelRequest): Promise<OkResponse>;
}

export function connectToHost<S extends PanelSnapshot>(handlers: { snapshot(snapshot: S): void; error(message: string): void }): HostConnection {
  const vscode = acquireVsCodeApi();
  const pending = new Map<number, { resolve: (r: OkResponse) => void; reject: (e: Error) => void }>();
  let nextId = 1;

  window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
    const message = event.data;
    switch (message?.type) {
      case 'snapshot':
        vscode.setState({ selection: message.snapshot.selection satisfies PanelSelection });
        handlers.snapshot(message.snapshot as S);
        break;
      case 'error':
        handlers.error(message.message);
        break;
      case 'response': {
        const entry = pending.get(message.requestId);
        pending.delete(message.requestId);
        if (message.ok) entry?.resolve(message);
        else entry?.reject(new Error(message.error));
        break;
      }
    }
  });
  vscode.postMessage({ type: 'ready' });

  return {
    request: (request) =>
      new Promise<OkResponse>((resolve, reject) => {
        const requestId = nextId++;
        pending.set(requestId, { resolve, reject });
        vscode.postMessage({ type: 'request', requestId, request });
      }),
  };
}
