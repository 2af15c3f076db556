import WebSocket from 'ws';

/** A V8 CPU profile as the DevTools protocol returns it (Profiler.stop). */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * A CPU profiler on the isolate that `wrangler dev` exposes on its inspector port: the Worker and its
 * Durable Objects run in that one isolate locally, so one profile holds both.
 */
export class InspectorProfiler {
  private readonly socket: WebSocket;
  private next = 1;
  private readonly waiting = new Map<number, { done: (result: unknown) => void; fail: (error: Error) => void }>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const reply = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = reply.id === undefined ? undefined : this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id!);
      if (reply.error) waiter.fail(new Error(reply.error.message));
      else waiter.done(reply.result);
    });
    socket.on('close', () => {
      for (const waiter of this.waiting.values()) waiter.fail(new Error('the inspector closed the connection'));
      this.waiting.clear();
    });
  }

  /** Connects to the first target the inspector lists; rejects after `timeoutMs`. */
  static async attach(port: number, timeoutMs = 10_000): Promise<InspectorProfiler> {
    const targets = await (await fetch(`http://127.0.0.1:${port}/json`, { signal: AbortSignal.timeout(timeoutMs) })).json() as Array<{ webSocketDebuggerUrl: string }>;
    const url = targets[0]?.webSocketDebuggerUrl;
    if (!url) throw new Error(`the inspector on port ${port} lists no target`);
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new InspectorProfiler(socket);
  }

  /** Starts sampling every `intervalUs` microseconds. */
  async start(intervalUs = 200): Promise<void> {
    await this.call('Profiler.enable');
    await this.call('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.call('Profiler.start');
  }

  /** Stops sampling and returns the profile. */
  async stop(): Promise<CpuProfile> {
    return ((await this.call('Profiler.stop')) as { profile: CpuProfile }).profile;
  }

  close(): void {
    this.socket.close();
  }

  private call(method: string, params: object = {}, timeoutMs = 30_000): Promise<unknown> {
    const id = this.next++;
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        fail(new Error(`${method}: no answer from the inspector in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { done: (r) => (clearTimeout(timer), done(r)), fail: (e) => (clearTimeout(timer), fail(e)) });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}

/** Where the busy time of a profile went, in ms and as shares of the busy time (idle left out). */
export interface CpuShares {
  busyMs: number;
  /** WebSocket `send`, the runtime's own native method. */
  sendShare: number;
  /** JavaScript of the Worker bundle: pushport's code, with Hono and the bench's floor routes. */
  scriptShare: number;
  /** Other native work of the runtime: its C++ methods, `(program)`, and the garbage collector. */
  runtimeShare: number;
  /** `(program)`: the runtime outside any JavaScript (its event loop, sockets, RPC and HTTP plumbing). */
  programShare: number;
  gcShare: number;
  /** The functions with the most self time. */
  top: Array<{ name: string; ms: number; share: number }>;
}

/** Self time per function, sorted into the script's own JavaScript, the runtime's `send`, and the rest of the runtime. */
export function cpuShares(profile: CpuProfile, topN = 12): CpuShares {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let [busy, send, script, gc, program] = [0, 0, 0, 0, 0];
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === '(idle)') return;
    busy += us;
    if (frame.functionName === '(garbage collector)') gc += us;
    else if (frame.functionName === '(program)') program += us;
    else if (frame.url === '' && frame.functionName === 'send') send += us;
    else if (frame.url !== '') script += us;
    const file = frame.url.split('/').pop() ?? '';
    const name = `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
    self.set(name, (self.get(name) ?? 0) + us);
  });
  const share = (us: number) => (busy > 0 ? us / busy : 0);
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, topN).map(([name, us]) => ({ name, ms: us / 1000, share: share(us) }));
  return { busyMs: busy / 1000, sendShare: share(send), scriptShare: share(script), runtimeShare: share(busy - send - script), programShare: share(program), gcShare: share(gc), top };
}

/**
 * Busy time (µs) of the samples whose outermost JavaScript frame is a function named `entry`: a Durable Object
 * method called over RPC starts a stack of its own, so this is that method's whole JavaScript, natives it calls
 * included, without the Worker's. The runtime's work outside JavaScript (`(program)`) is not in it.
 */
export function rootedUs(profile: CpuProfile, entry: string): number {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // The root's children are the outermost frames; each node is resolved once.
  const outermost = new Map<number, string>();
  const outer = (id: number): string => {
    let known = outermost.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    known = up === undefined || parent.get(up) === undefined ? (byId.get(id)?.callFrame.functionName ?? '') : outer(up);
    outermost.set(id, known);
    return known;
  };
  let us = 0;
  profile.samples.forEach((id, i) => {
    if (outer(id) === entry) us += profile.timeDeltas[i] ?? 0;
  });
  return us;
}
