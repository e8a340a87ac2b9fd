import { mkdir, rmdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK = '/run/vsa-lab-mount.lock';
/** The lock guards a few file-system calls; one older than this was left by a killed process. */
const STALE_MS = 30_000;

/**
 * Serialises the setup and release of the shared /run/vsa-mnt bind between labs of different
 * slots (parallel test files): without it, a lab going down can see the directory empty and unmount
 * it just as another lab creates its slot there, whose hosts then fail to start.
 */
export async function withMountRootLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(LOCK).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rmdir(LOCK).catch(() => undefined);
      else await sleep(20);
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(LOCK).catch(() => undefined);
  }
}
