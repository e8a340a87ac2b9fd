import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Timed {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time, from GNU time. */
  wallS: number;
  /** CPU seconds of the process and the children it waited for. */
  cpuS: number;
  /** Peak resident set of the process itself. */
  maxRssMb: number;
}

/** Runs argv under `/usr/bin/time` (wall, CPU, peak RSS), collecting its output. */
export async function timed(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<Timed> {
  const dir = await mkdtemp(join(tmpdir(), 'vsa-bench-time-'));
  const file = join(dir, 'time');
  try {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', file, ...argv], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number>((done, fail) => {
      child.once('error', fail);
      child.once('close', (c) => done(c ?? 1));
    });
    // GNU time writes "Command exited with non-zero status N" before the figures.
    const last = (await readFile(file, 'utf8')).trim().split('\n').pop() ?? '';
    const [wall, user, sys, rssKb] = last.split(' ').map(Number);
    return { code, stdout, stderr, wallS: wall!, cpuS: user! + sys!, maxRssMb: rssKb! / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
