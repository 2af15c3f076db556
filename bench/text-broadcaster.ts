import type { Broadcaster } from './bench-server.ts';
import { TextClient } from './text-client.ts';

/**
 * A text-port connection that sends one line at a time and waits for its `ok`: the reference's broadcast line,
 * or a push to one uid on either server. Anything but `ok` rejects, so a fan-out that reached nobody is not timed.
 */
export async function textBroadcaster(textPort: number): Promise<Broadcaster> {
  const client = await TextClient.open(textPort);
  let answered: ((reply: string) => void) | undefined;
  client.onReply = (reply) => answered?.(reply);
  return {
    close: () => client.close(),
    send: (body, timeoutMs) => new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`line unanswered after ${timeoutMs} ms`)), timeoutMs);
      answered = (reply) => {
        clearTimeout(timer);
        if (reply === 'ok') done();
        else fail(new Error(`line answered ${reply}`));
      };
      client.write(`${body}\n`);
    }),
  };
}
