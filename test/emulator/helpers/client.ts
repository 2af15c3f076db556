import { connect, type Socket } from 'node:net';
import { waitFor } from './processes.ts';

/** A raw loopback client that records everything it receives and whether the server closed it. */
export interface TestClient {
  socket: Socket;
  received: () => Buffer;
  text: () => string;
  closed: Promise<void>;
  waitForText: (expected: string) => Promise<string>;
}

/** Connects to 127.0.0.1:port and resolves once connected. */
export function openClient(port: number): Promise<TestClient> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.once('connect', () => {
      const received = (): Buffer => Buffer.concat(chunks);
      const text = (): string => received().toString('utf8');
      const waitForText = (expected: string): Promise<string> => waitFor(() => (text().includes(expected) ? text() : ''), `"${expected}" from server`, 5000);
      done({ socket, received, text, closed, waitForText });
    });
    socket.once('error', fail);
  });
}
