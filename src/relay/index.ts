export * from './relay-frame.ts';
export * from './frame-reader.ts';
export * from './home-of.ts';
export * from './peer-outbox.ts';
export * from './relay-node.ts';
export * from './relayed-target.ts';
