import { afterEach, describe, expect, it } from 'vitest';
import { registerProtocol, Worker, type TcpConnection } from '../../emulator/index.ts';
import { serve, stopServed, track } from './helpers/in-process.ts';
import { captureLog } from '../support/capture-log.ts';
import { LineClient } from '../support/line-client.ts';
import { waitFor } from '../support/poll.ts';

const clients: LineClient[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.socket.destroy();
  stopServed();
});


async function client(port: number): Promise<LineClient> {
  const opened = await LineClient.open(port);
  clients.push(opened);
  return opened;
}

describe('text framing over a real socket', () => {
  it('joins split packets, splits pipelined ones, accepts \\r\\n, and replies in order', async () => {
    const seen: string[] = [];
    const port = serve('text', (worker) => {
      worker.onMessage = (connection: TcpConnection, line: string) => {
        seen.push(line);
        connection.send(`got ${line}`);
      };
    });
    const c = await client(port);
    c.socket.write('hel');
    await waitFor(() => c.socket.bytesWritten === 3, 'first write');
    c.socket.write('lo\nwor');
    c.socket.write('ld\r\nthree\nfour\n');
    await c.waitForText('got four\n');
    expect(seen).toEqual(['hello', 'world', 'three', 'four']);
    expect(c.text()).toBe('got hello\ngot world\ngot three\ngot four\n');
  });

  it('closes only the connection that exceeds maxPackageSize; others keep being served', async () => {
    const port = serve('text', (worker) => {
      worker.onConnect = (connection) => (connection.maxPackageSize = 100);
      worker.onMessage = (connection: TcpConnection, line: string) => connection.send(`ok ${line}`);
    });
    const noNewline = await client(port);
    const longLine = await client(port);
    const good = await client(port);
    const log = await captureLog(async () => {
      noNewline.socket.write('x'.repeat(200));
      longLine.socket.write(`${'y'.repeat(150)}\n`);
      await noNewline.closed;
      await longLine.closed;
    });
    expect(log).toMatch(/closing connection \d+ from 127\.0\.0\.1:\d+: no packet end within maxPackageSize 100\n/);
    expect(log).toMatch(/closing connection \d+ from 127\.0\.0\.1:\d+: bad package length -1 \(over maxPackageSize 100, or a broken stream\)\n/);
    good.socket.write('still here\n');
    expect(await good.waitForText('\n')).toBe('ok still here\n');
    expect(noNewline.text()).toBe('');
  });

  it('keeps serving after a callback throws', async () => {
    const port = serve('text', (worker) => {
      worker.onMessage = (connection: TcpConnection, line: string) => {
        if (line === 'boom') throw new Error('user bug');
        connection.send(line);
      };
    });
    // The throw is logged to stdout with its stack, as Workerman does; caught here so it doesn't read as a failure.
    const log = await captureLog(async () => {
      const c = await client(port);
      c.socket.write('boom\nafter\n');
      expect(await c.waitForText('after')).toBe('after\n');
    });
    expect(log).toMatch(/pid:\d+ onMessage failed: Error: user bug\n\s+at /);
  });

  it('keeps free properties per connection (the reference stores connection.uid)', async () => {
    const port = serve('text', (worker) => {
      worker.onMessage = (connection: TcpConnection, line: string) => {
        if (connection.uid === undefined) connection.uid = line;
        else connection.send(`${String(connection.uid)}:${line}`);
      };
    });
    const c = await client(port);
    c.socket.write('u1\nhi\n');
    expect(await c.waitForText('\n')).toBe('u1:hi\n');
  });

  it('pauseRecv holds buffered packets until resumeRecv', async () => {
    const seen: string[] = [];
    let paused: TcpConnection | undefined;
    const port = serve('text', (worker) => {
      worker.onMessage = (connection: TcpConnection, line: string) => {
        seen.push(line);
        if (line === 'pause') {
          connection.pauseRecv();
          paused = connection;
        }
      };
    });
    const c = await client(port);
    c.socket.write('pause\nlater\n');
    const connection = await waitFor(() => paused, 'pause');
    expect(seen).toEqual(['pause']);
    connection.resumeRecv();
    expect(seen).toEqual(['pause', 'later']);
  });
});

describe('frame, raw tcp and registered protocols', () => {
  it('frame:// decodes length-prefixed packets and encodes replies', async () => {
    const port = serve('frame', (worker) => {
      worker.onMessage = (connection: TcpConnection, data: string) => connection.send(data.toUpperCase());
    });
    const c = await client(port);
    const packet = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('abc')]);
    c.socket.write(Buffer.concat([packet, packet]));
    await waitFor(() => c.received().length === 14, 'two frames');
    expect(c.received()).toEqual(Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ABC'), Buffer.from([0, 0, 0, 7]), Buffer.from('ABC')]));
  });

  it('a registered protocol drives the same framing loop; a negative length closes the connection', async () => {
    // One length byte, then the payload; length 0 means "broken".
    registerProtocol('len1', {
      input: (buffer) => (buffer[0] === 0 ? -1 : buffer.length < 1 + (buffer[0] ?? 0) ? 0 : 1 + (buffer[0] ?? 0)),
      decode: (packet) => packet.subarray(1).toString(),
      encode: (data) => Buffer.concat([Buffer.from([String(data).length]), Buffer.from(String(data))]),
    });
    const port = serve('len1', (worker) => {
      worker.onMessage = (connection: TcpConnection, data: string) => connection.send(`<${data}>`);
    });
    const c = await client(port);
    const log = await captureLog(async () => {
      c.socket.write(Buffer.from([2, 0x68]));
      c.socket.write(Buffer.from([0x69, 0]));
      await c.closed;
    });
    expect(log).toMatch(/bad package length -1 /);
    expect(c.received()).toEqual(Buffer.from([4, ...Buffer.from('<hi>')]));
  });

  it('tcp:// hands raw chunks to onMessage as Buffers', async () => {
    const port = serve('tcp', (worker) => {
      worker.onMessage = (connection: TcpConnection, data: Buffer) => connection.send(Buffer.from(data.toString('hex')));
    });
    const c = await client(port);
    c.socket.write(Buffer.from([1, 2]));
    expect(await c.waitForText('0102')).toBe('0102');
  });
});

describe('send buffer limits', () => {
  it('send() returns false with onBufferFull past maxSendBufferSize, and onBufferDrain fires once drained', async () => {
    const events: string[] = [];
    let results: boolean[] = [];
    const port = serve('tcp', (worker) => {
      worker.onConnect = (connection) => (connection.maxSendBufferSize = 64 * 1024);
      worker.onBufferFull = () => events.push('full');
      worker.onBufferDrain = () => events.push('drain');
      worker.onError = (_connection, code) => events.push(`error ${code}`);
      worker.onMessage = (connection: TcpConnection) => {
        const chunk = Buffer.alloc(16 * 1024, 0x61);
        // Bounded: the kernel buffers a few MB at most before our own buffer grows.
        for (let i = 0; i < 20_000; i++) {
          const accepted = connection.send(chunk);
          results.push(accepted);
          if (!accepted) break;
        }
      };
    });
    const c = await client(port);
    c.socket.pause();
    c.socket.write('go');
    await waitFor(() => results.includes(false), 'a refused send');
    expect(events).toEqual(['full', 'error 2']);
    expect(results.at(-1)).toBe(false);
    results = [];
    c.socket.resume();
    await waitFor(() => events.includes('drain'), 'drain');
  });
});

describe('listen()', () => {
  it('throws "Address already in use" when the port is taken without reusePort', () => {
    const port = serve('text', () => {});
    const second = new Worker(`text://127.0.0.1:${port}`);
    expect(() => second.listen()).toThrow(/Address already in use/);
  });

  it('lets several listeners share a port with reusePort', () => {
    const port = serve('text', (worker) => (worker.reusePort = true));
    const second = new Worker(`text://127.0.0.1:${port}`);
    second.reusePort = true;
    second.listen();
    track(second);
    expect(second.address()?.port).toBe(port);
  });

  it('rejects an unknown protocol at listen() with a hint', () => {
    const worker = new Worker('nosuch://127.0.0.1:0');
    expect(() => worker.listen()).toThrow(/registerProtocol/);
  });

  it('pauseAccept holds new clients until resumeAccept', async () => {
    const connected: number[] = [];
    let worker: Worker | undefined;
    const port = serve('text', (w) => {
      worker = w;
      w.onConnect = (connection) => connected.push(connection.id);
    });
    worker?.pauseAccept();
    const first = await client(port);
    first.socket.write('x\n');
    // A barrier: a connection made later to a port that is not paused, answered by this same event loop, which
    // has by then seen the first connection and its line (unless it holds them).
    const echo = serve('text', (w) => (w.onMessage = (connection: TcpConnection, line: string) => connection.send(`got ${line}`)));
    const later = await client(echo);
    later.write('y\n');
    await later.waitForText('got y\n');
    expect(connected).toEqual([]);
    worker?.resumeAccept();
    await waitFor(() => connected.length === 1, 'held client served');
  });
});
