// The emulator's public API: Workerman's names, in TypeScript.
export { Worker, type WorkerCallbacks } from './worker.ts';
export { TcpConnection, SEND_FAIL } from './tcp-connection.ts';
export { Timer, type TimerId } from './timer.ts';
export { registerProtocol } from './protocols/registry.ts';
export type { Protocol } from './protocols/types.ts';
export { HttpRequest, HttpResponse } from './protocols/http.ts';
export { text } from './protocols/text.ts';
export { frame } from './protocols/frame.ts';
