import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deadline } from '../../bench/deadline.ts';
import { floorTable, requestRate } from '../../bench/edge-floor.ts';

describe('the floor of bench:edge', () => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(req.url === '/bad' ? 500 : 200, { 'content-length': '2' }).end('ok'));
  });
  let port = 0;
  beforeAll(() => new Promise<void>((done) => server.listen(0, '127.0.0.1', () => {
    port = (server.address() as { port: number }).port;
    done();
  })));
  afterAll(() => new Promise<void>((done) => server.close(() => done())));
  const load = { connections: 2, depth: 2, sendMs: 200 };

  it('counts the answers of a route under the load, and every error with the first reason', async () => {
    const ok = await requestRate(port, 't', 'POST', '/ok', (i) => `body ${i}`, load, new Deadline(10_000));
    expect(ok.requests).toBeGreaterThan(0);
    expect(ok.errors).toBe(0);
    expect(Number(ok.requestsPerSec)).toBeGreaterThan(0);
    const bad = await requestRate(port, 't', 'GET', '/bad', () => '', load, new Deadline(10_000));
    expect(bad.errors).toBe(bad.requests);
    expect(bad.firstError).toBe('HTTP 500: ok');
  });

  it('shows each edge figure beside its floor as a ratio, and says when the profile is missing', () => {
    const table = floorTable({ pushPerSec: 300, helloPerSec: 400, objectCallPerSec: 200, batchPushesPerSec: 10_000, floorBatchLinesPerSec: 100_000, broadcastP50Ms: 20, floorBroadcastP50Ms: 10 });
    expect(table).toMatch(/hello-world Worker\s+400\s+0\.75×/);
    expect(table).toMatch(/Worker → bare object method\s+200\s+1\.50×/);
    expect(table).toMatch(/\/push\/batch pushes\/s\s+10,000\s+bare object taking the lines\s+100,000\s+0\.10×/);
    expect(table).toMatch(/broadcast to N p50 \(ms\)\s+20\.00\s+bare object broadcast p50\s+10\.00\s+2\.00×/);
    expect(table).toMatch(/broadcast to N p99 \(ms\)\s+—.*—$/m);
    expect(table).toContain('CPU per push of /push/batch: not measured');
    expect(table).toContain('CPU profile of /push/batch: not taken');
  });

  it("prints pushport's CPU per push beside the bare object's, and its share against the goal", () => {
    const table = floorTable({ batchPushesPerSec: 9000, floorBatchSendPerSec: 10_000, cpuUsPerPush: 40, floorCpuUsPerPush: 34, pushportShare: 0.15, objectUsPerPush: 12, scriptShare: 0.5, sendShare: 0, runtimeShare: 0.5, programShare: 0.4, gcShare: 0.02 });
    expect(table).toMatch(/bare object sending each line\s+10,000\s+0\.90×/);
    expect(table).toContain('pushport /push/batch 40.0 µs, bare object sending each line 34.0 µs: pushport\'s share 15.0% (goal: at most 20%)');
    expect(table).toMatch(/script JS 50\.0%.*the object's own JavaScript 12\.0 µs per push/);
    // A profile that could not be taken leaves the share readable.
    const noProfile = floorTable({ cpuUsPerPush: 40, floorCpuUsPerPush: 34, pushportShare: 0.15 });
    expect(noProfile).toContain("pushport's share 15.0% (goal: at most 20%)");
    expect(noProfile).toContain('CPU profile of /push/batch: not taken');
  });
});
