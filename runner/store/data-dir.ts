import { mkdirSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The data directory from `VSA_HOME` (default `~/.local/share/vsa`), created owner-only: the audit
 * log and the database hold who changed what where, which is nobody else's business.
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env['VSA_HOME'] ? resolve(env['VSA_HOME']) : join(homedir(), '.local', 'share', 'vsa');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}
