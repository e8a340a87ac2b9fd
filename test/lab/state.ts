import { readFile, rename, writeFile } from 'node:fs/promises';

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

export async function writeState(dir: string, state: LabState): Promise<void> {
  const tmp = `${statePath(dir)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, statePath(dir));
}
