import { ExpositionWriter } from './exposition-writer.ts';
import { latencyBounds } from './latency-histogram.ts';
import type { OpsReport } from './ops-report.ts';

/** The name of the push latency histogram. */
export const latencyMetric = 'pushport_push_latency_seconds';

/** The whole server's figures as Prometheus text, the same names on every runtime. */
export function serverMetrics(report: Pick<OpsReport, 'total' | 'latency' | 'queue' | 'groups'>): string {
  const { total, latency, queue, groups } = report;
  const writer = new ExpositionWriter()
    .gauge('pushport_connections', 'Open client WebSocket connections, identified or not.', total.connections)
    .gauge('pushport_identified_connections', 'Client connections that have a uid.', total.identified)
    .gauge('pushport_uids', 'Distinct uids with at least one live connection.', total.uids)
    .counter('pushport_pushes_total', 'Pushes to a uid, delivered or not.', total.pushes)
    .counter('pushport_delivered_total', 'Messages written to a connection (one push to two tabs counts two).', total.delivered)
    .counter('pushport_failed_total', 'Pushes that reached no connection.', total.failed)
    .counter('pushport_queued_total', 'Pushes that reached no connection and wait for their uid (they had a ttl).', total.queued)
    .counter('pushport_broadcasts_total', 'Broadcasts sent.', total.broadcasts)
    .histogram(latencyMetric, 'Time from a push request or line arriving to its frames being written, in seconds.', latencyBounds, latency);
  if (queue) {
    writer
      .gauge('pushport_queue_waiting', 'Pushes with a ttl waiting now for their uid to come online.', queue.queued)
      .counter('pushport_queue_expired_total', 'Queued pushes whose ttl passed before their uid came online.', queue.expired);
  }
  if (groups) {
    writer
      .gauge('pushport_groups', 'Groups with at least one member.', groups.groups)
      .counter('pushport_group_pushes_total', 'Pushes to a group, delivered or not.', groups.pushes);
  }
  return writer.text();
}
