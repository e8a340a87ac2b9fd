import { renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** What `lab:down` needs to remove a lab even after the process that made it crashed. */
export interface LabState {
  slot: number;
  createdAt: string;
  plugins: string[];
  hosts: { name: string; ns: string; address: string; mntFile: string; utsFile: string }[];
  /** Daemons started per host; killed only while they still live in a lab namespace. */
  pids: Record<string, number[]>;
}

export const statePath = (dir: string) => `${dir}/state.json`;

export async function readState(dir: string): Promise<LabState | undefined> {
  try {
    return JSON.parse(await readFile(statePath(dir), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/**
 * Synchronous, so it can run the moment a daemon starts: a lab whose start fails or is killed
 * half-way still names every process it made, and `lab:down` stops them.
 */
export function writeState(dir: string, state: LabState): void {
  const tmp = `${statePath(dir)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, statePath(dir));
}
