export * from './sql-db.ts';
export * from './mailbox-schema.ts';
export * from './mailbox.ts';
export * from './durable-pushes.ts';
