import { spawnSync } from 'node:child_process';
import { median, round } from './stats.js';

export interface Startup {
  runs: number;
  /** Median wall milliseconds of each command. */
  nodeMs: number;
  versionMs: number;
  runHelpMs: number;
}

const commands = {
  nodeMs: ['node', '-e', '0'],
  versionMs: ['node', 'bin/vsa.js', '--version'],
  runHelpMs: ['node', 'bin/vsa.js', 'run', '--help'],
} as const;

/** Start-up times, the three commands interleaved so a load spike hits them alike. */
export function measureStartup(runs = 15): Startup {
  const samples: Record<keyof typeof commands, number[]> = { nodeMs: [], versionMs: [], runHelpMs: [] };
  for (let i = 0; i < runs + 1; i++) {
    for (const [key, [cmd, ...args]] of Object.entries(commands) as [
      keyof typeof commands,
      readonly string[],
    ][]) {
      const t = performance.now();
      const r = spawnSync(cmd!, args, { stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited ${r.status}`);
      // The first round warms the page cache.
      if (i > 0) samples[key].push(performance.now() - t);
    }
  }
  return {
    runs,
    nodeMs: round(median(samples.nodeMs)),
    versionMs: round(median(samples.versionMs)),
    runHelpMs: round(median(samples.runHelpMs)),
  };
}
