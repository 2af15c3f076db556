import { describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, createPushApp, defaultLimits } from '../../../src/index.ts';
import { hubTarget } from '../hub-target.ts';

function app(limits = { ...defaultLimits, maxMessageBytes: 64, maxBatch: 2 }) {
  const hub = new Hub(new MemoryRegistry(), defaultLimits);
  const target = hubTarget(hub);
  return createPushApp({ settings: () => ({ token: 'tok', limits }), target: () => target });
}

// A body that never comes, and notes whether anyone asked for it (no reads ahead: high water mark 0).
let bodyRead = false;
const post = (headers: Record<string, string>) => {
  bodyRead = false;
  const body = new ReadableStream<Uint8Array>({ pull: () => { bodyRead = true; return new Promise(() => {}); } }, { highWaterMark: 0 });
  return { method: 'POST', body, duplex: 'half', headers } as RequestInit;
};

describe('the push API refuses before it reads a body', () => {
  it('on a missing or wrong token', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }] as Record<string, string>[]) {
      const res = await app().request('/push', post({ ...headers, 'content-length': '100000000' }));
      expect(res.status).toBe(401);
      expect(bodyRead).toBe(false);
    }
  });

  it('on the declared length, with Connection: close when it is too much to discard', async () => {
    const huge = await app().request('/push', post({ authorization: 'Bearer tok', 'content-length': '100000000' }));
    expect(huge.status).toBe(413);
    expect(huge.headers.get('connection')).toBe('close');
    const small = await app().request('/push/batch', post({ authorization: 'Bearer tok', 'content-length': String(9 * 1024 * 1024) }));
    expect([small.status, small.headers.get('connection')]).toEqual([413, 'close']);
    const discardable = await app().request('/push', post({ authorization: 'Bearer tok', 'content-length': '65' }));
    expect([discardable.status, discardable.headers.get('connection')]).toEqual([413, null]);
    expect(bodyRead).toBe(false);
  });
});

describe('a body of declared length within the limit', () => {
  it('reaches the route without being opened as a stream to be measured first', async () => {
    // A runtime may build the body stream only when asked (node:http does): measuring it is what costs.
    let opened = 0;
    class Watched extends Request {}
    const bodyOf = Object.getOwnPropertyDescriptor(Request.prototype, 'body')?.get;
    Object.defineProperty(Watched.prototype, 'body', { get(this: Request) {
      opened++;
      return bodyOf?.call(this);
    } });
    for (const path of ['/broadcast', '/push']) {
      const request = new Watched(`http://pushport${path}`, { method: 'POST', body: '{"uid":"a"}', headers: { authorization: 'Bearer tok', 'content-length': '11' } });
      const res = await app().fetch(request);
      expect(res.status).toBe(200);
    }
    expect(opened).toBe(0);
  });
});

describe('batches and MAX_BATCH', () => {
  it('does not count blank lines toward MAX_BATCH', async () => {
    const body = '\n{"uid":"a"}\r\n\n   \n{"uid":"b"}\n\n';
    const res = await app().request('/push/batch', { method: 'POST', body, headers: { authorization: 'Bearer tok' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ results: [{ ok: false, delivered: 0 }, { ok: false, delivered: 0 }], delivered: 0 });
  });

  it('still refuses more pushes than MAX_BATCH', async () => {
    const res = await app().request('/push/batch', { method: 'POST', body: '{"uid":"a"}\n\n{"uid":"b"}\n{"uid":"c"}\n', headers: { authorization: 'Bearer tok' } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'batch has 3 pushes; at most 2' });
  });

  it('calls a batch of blank lines empty', async () => {
    const res = await app().request('/push/batch', { method: 'POST', body: '\n\r\n', headers: { authorization: 'Bearer tok' } });
    expect(res.status).toBe(400);
  });
});
