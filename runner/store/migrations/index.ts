import { initial } from './001-initial.js';
import { pushOutbox } from './002-push-outbox.js';
import { runHeartbeat } from './003-run-heartbeat.js';
import { cancelAndProgress } from './004-cancel-and-progress.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In version order; a new schema change is a new file appended here, never an edit of an old one. */
export const migrations: Migration[] = [initial, pushOutbox, runHeartbeat, cancelAndProgress];
