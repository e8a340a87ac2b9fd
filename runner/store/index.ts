export { AuditLog, openAuditLog, type AuditLogOptions } from './audit-log.js';
export { readAuditLog, type AuditLogContents, type BadLine } from './audit-log-reader.js';
export { dataDir } from './data-dir.js';
export { RunNotFoundError, StoreError } from './errors.js';
export { openStore, type Store, type StoreOptions } from './open.js';
export { createStoreSink, type StoreSinkOptions } from './sink.js';
export { parsePositive, parseSince } from './args.js';
export type * from './types.js';
