export * from './pushport-socket.ts';
export * from '../wire/v1-frame.ts';
export * from './backoff.ts';
export * from './seq-tracker.ts';
export * from './web-socket-like.ts';
