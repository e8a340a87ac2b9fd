import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { $ } from 'zx';
import type { LabLayout } from '../layout.js';
import { waitForPort } from '../plugins/sshd.js';

export interface SlotDaemon {
  /** Names the slot's mount namespace file the daemon runs in. */
  name: string;
  argv: readonly string[];
  /** Its stdout and stderr, appended. */
  log: string;
  /** Listening here on the gateway means it is up. */
  port: number;
}

/**
 * Starts a daemon of the slot on its gateway, in a mount namespace file of the slot (as Pebble is),
 * so `lab:down` finds its pid through that namespace and kills it, also after a crash. Resolves
 * with its pid once the port answers; fails at once if it exits first.
 */
export async function startSlotDaemon(layout: LabLayout, d: SlotDaemon): Promise<number> {
  const nsFile = `${layout.mntDir}/${d.name}`;
  await writeFile(nsFile, '');
  await $({ quiet: true })`unshare --mount=${nsFile} --propagation private true`;
  const fd = openSync(d.log, 'a');
  const [cmd, ...args] = ['nsenter', `--mount=${nsFile}`, '--', ...d.argv];
  const child = spawn(cmd!, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${d.argv[0]}`);
  let alive = true;
  child.once('exit', () => (alive = false));
  await waitForPort(layout.gateway, d.port, 10_000, () => alive);
  return child.pid;
}
