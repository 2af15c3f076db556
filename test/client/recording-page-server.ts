import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientModule } from '../../src/home/client-module.ts';

/**
 * The README snippet's shape (`since` from sessionStorage), recording each push as `[seq, n]` in sessionStorage
 * in the same step that stores lastSeq, so the record survives a reload of the tab exactly as the resume point does.
 * Pings every second so a dead link is found in a few seconds, and short back-off so a test waits little.
 */
const recordingSnippet = (url: string, uid: string) => `<script type="module">
import { PushportSocket } from '/pushport-client.js';

const socket = new PushportSocket({
  url: ${JSON.stringify(url)},
  uid: ${JSON.stringify(uid)},
  // After a reload, resume from the last push this tab saw.
  since: Number(sessionStorage.getItem('pushport.lastSeq')) || undefined,
  pingSeconds: 1, minDelayMs: 100, maxDelayMs: 500,
});
window.opens = 0;
socket.on('open', () => window.opens++);
window.state = socket.state;
socket.on('state', (state) => (window.state = state));
socket.on('message', (data, seq) => {
  const got = JSON.parse(sessionStorage.getItem('e2e.got') || '[]');
  got.push([seq, JSON.parse(data).n]);
  sessionStorage.setItem('e2e.got', JSON.stringify(got));
  sessionStorage.setItem('pushport.lastSeq', String(socket.lastSeq));
});
</script>`;

/** Serves the recording page and the client bundle over HTTP. */
export interface RecordingPageServer {
  /** The page's address for a server at `wsUrl` and a uid. */
  pageUrl(wsUrl: string, uid: string): string;
  /** Holds back the client bundle until the returned function is called: a page that loads but has no socket yet. */
  holdBundle(): () => void;
  stop(): Promise<void>;
}

/**
 * Starts the page server on 127.0.0.1. The page must come from a loopback origin: Chromium refuses a socket from
 * a public origin (a page fulfilled by interception counts as one) to a loopback server (Local Network Access).
 */
export async function startRecordingPageServer(): Promise<RecordingPageServer> {
  let held: Promise<void> | undefined;
  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/pushport-client.js') {
      await held;
      return response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(clientModule);
    }
    const ws = url.searchParams.get('ws');
    const uid = url.searchParams.get('uid');
    if (url.pathname !== '/' || !ws || !uid) return response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(`<!doctype html>${recordingSnippet(ws, uid)}`);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  return {
    pageUrl: (wsUrl, uid) => `${base}?${new URLSearchParams({ ws: wsUrl, uid })}`,
    holdBundle: () => {
      let release = () => {};
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    stop: () => new Promise((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }),
  };
}
