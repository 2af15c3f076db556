import { afterEach, beforeEach } from 'vitest';
import { PushportSocket, type PushportSocketOptions } from '../../src/client/index.ts';
import { FakeV1Server } from './fake-v1-server.ts';
import { record, type SocketRecord } from './socket-recorder.ts';

/** A fresh fake v1 server per test, and the one client a test starts against it; both closed after the test. */
export interface V1Fixture {
  server: FakeV1Server;
  client: PushportSocket | undefined;
  /** Starts a client as uid `u1` with a short back-off (options override), recording everything it emits. */
  start(options?: Partial<PushportSocketOptions>): SocketRecord;
}

/** Registers the fixture's beforeEach/afterEach in the current describe block; `WebSocket` picks the client's class. */
export function useFakeV1Server(WebSocket?: PushportSocketOptions['WebSocket']): V1Fixture {
  const fixture: V1Fixture = {
    server: undefined as unknown as FakeV1Server,
    client: undefined,
    start(options = {}) {
      fixture.client = new PushportSocket({ url: fixture.server.url, uid: 'u1', WebSocket, minDelayMs: 10, maxDelayMs: 50, ...options });
      return record(fixture.client);
    },
  };
  beforeEach(async () => {
    fixture.server = await FakeV1Server.start();
  });
  afterEach(async () => {
    fixture.client?.close();
    await fixture.server.stop();
  });
  return fixture;
}
