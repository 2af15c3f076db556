export * from './latency-histogram.ts';
export * from './exposition-writer.ts';
export * from './ops-report.ts';
export * from './server-metrics.ts';
export * from './relayed-ops.ts';
export * from './ops-routes.ts';
export * from './dashboard-page.ts';
