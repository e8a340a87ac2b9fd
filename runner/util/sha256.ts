import { createHash } from 'node:crypto';

/** Hex sha256, the same digest `sha256sum` prints on the host. */
export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}
