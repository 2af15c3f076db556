import { describe, expect, it } from 'vitest';
import {
  ExpositionWriter, emptyLatency, escapeHelp, escapeLabelValue, formatValue, latencyBounds, LatencyHistogram, serverMetrics,
} from '../../../src/index.ts';
import { parseExposition } from '../../support/prometheus.ts';

const parse = (text: string) => new Map(Object.entries(parseExposition(text)));

describe('the Prometheus text exposition', () => {
  it('escapes label values and HELP text as the format says', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeHelp('line\\one\ntwo "quoted"')).toBe('line\\\\one\\ntwo "quoted"');
    const text = new ExpositionWriter().gauge('x', 'help', 1, { path: 'C:\\tmp\n"q"' }).text();
    expect(text).toBe('# HELP x help\n# TYPE x gauge\nx{path="C:\\\\tmp\\n\\"q\\""} 1\n');
    parse(text);
  });

  it('writes special values the format\'s way', () => {
    expect([formatValue(3), formatValue(0.25), formatValue(Infinity), formatValue(-Infinity), formatValue(NaN)]).toEqual(['3', '0.25', '+Inf', '-Inf', 'NaN']);
  });

  it('gives each family one HELP and one TYPE line before its samples, and refuses a name twice', () => {
    const text = new ExpositionWriter().counter('a_total', 'A.', 5).gauge('b', 'B.', 2).text();
    expect(text.split('\n').slice(0, 6)).toEqual(['# HELP a_total A.', '# TYPE a_total counter', 'a_total 5', '# HELP b B.', '# TYPE b gauge', 'b 2']);
    expect(() => new ExpositionWriter().gauge('a', 'A', 1).gauge('a', 'A', 1)).toThrow(/twice/);
    expect(() => new ExpositionWriter().gauge('bad-name', 'A', 1)).toThrow(/invalid metric name/);
    expect(() => new ExpositionWriter().gauge('a', 'A', 1, { 'bad-label': 'x' })).toThrow(/invalid label name/);
  });

  it('writes a histogram with cumulative buckets up to +Inf, then _sum and _count', () => {
    const h = new LatencyHistogram();
    h.observe(0.00005, 2); // first bucket
    h.observe(0.003, 3); // le 0.005
    h.observe(7, 1); // above every bound
    const text = new ExpositionWriter().histogram('lat_seconds', 'Latency.', latencyBounds, h.snapshot()).text();
    const samples = parse(text);
    expect(text).toContain('# TYPE lat_seconds histogram\n');
    expect(samples.get('lat_seconds_bucket{le="0.0001"}')).toBe(2);
    expect(samples.get('lat_seconds_bucket{le="0.0025"}')).toBe(2);
    expect(samples.get('lat_seconds_bucket{le="0.005"}')).toBe(5);
    expect(samples.get('lat_seconds_bucket{le="1"}')).toBe(5);
    expect(samples.get('lat_seconds_bucket{le="+Inf"}')).toBe(6);
    expect(samples.get('lat_seconds_count')).toBe(6);
    expect(samples.get('lat_seconds_sum')).toBeCloseTo(0.0001 + 0.009 + 7);
    // Buckets never go down, and +Inf is the last one.
    const buckets = text.split('\n').filter((l) => l.startsWith('lat_seconds_bucket'));
    expect(buckets).toHaveLength(latencyBounds.length + 1);
    expect(buckets.at(-1)).toMatch(/le="\+Inf"/);
    const values = buckets.map((l) => Number(l.split(' ')[1]));
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('names the server\'s figures as the issue asks, gauges and counters', () => {
    const total = { connections: 4, identified: 3, uids: 2, pushes: 10, delivered: 12, failed: 1, queued: 3, broadcasts: 2 };
    const text = serverMetrics({ total, latency: emptyLatency() });
    const samples = parse(text);
    expect(Object.fromEntries([...samples].filter(([k]) => !k.startsWith('pushport_push_latency')))).toEqual({
      pushport_connections: 4, pushport_identified_connections: 3, pushport_uids: 2,
      pushport_pushes_total: 10, pushport_delivered_total: 12, pushport_failed_total: 1, pushport_queued_total: 3, pushport_broadcasts_total: 2,
    });
    for (const gauge of ['pushport_connections', 'pushport_identified_connections', 'pushport_uids']) expect(text).toContain(`# TYPE ${gauge} gauge\n`);
    for (const counter of ['pushes', 'delivered', 'failed', 'broadcasts']) expect(text).toContain(`# TYPE pushport_${counter}_total counter\n`);
    expect(text).toContain('# TYPE pushport_push_latency_seconds histogram\n');
    expect(samples.get('pushport_push_latency_seconds_count')).toBe(0);
  });
});
