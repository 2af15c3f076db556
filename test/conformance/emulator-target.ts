import { startPushServer, type PushServerProcess } from '../support/push-server-process.ts';
import { CONFORMANCE_SETTINGS, type ConformanceTarget } from './target.ts';

/** The local push server as a conformance target, started from the real CLI with the conformance settings. */
export async function startEmulatorTarget(count: number, clientSecret?: string): Promise<ConformanceTarget & { server: PushServerProcess }> {
  const env = clientSecret === undefined ? { ...CONFORMANCE_SETTINGS } : { ...CONFORMANCE_SETTINGS, CLIENT_SECRET: clientSecret };
  const server = await startPushServer(['--count', String(count)], env);
  return {
    server, httpUrl: server.httpUrl, wsUrl: server.wsUrl, token: CONFORMANCE_SETTINGS.PUSH_TOKEN!, clientSecret,
    textPort: { host: '127.0.0.1', port: server.textPort },
    stop: server.stop,
  };
}
