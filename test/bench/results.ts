import type { AnsibleRun } from './ansible-run.js';
import type { SshdCounts } from './lab-counters.js';
import type { Machine } from './machine.js';
import type { RoundTripFigures } from './round-trip.js';
import type { Startup } from './startup.js';
import type { RoundTrips, VsaRun } from './vsa-run.js';

/** What one run of either tool cost, as the bench records it. */
export interface RunFigures {
  wallS: number;
  cpuS: number;
  maxRssMb: number;
  changed: number;
  /** Per host, from the hosts' sshd logs. */
  sshd: SshdCounts;
  /** vsa only: run:start to run:end, and CPU spent on the hosts (sshd, shells, commands). */
  playS?: number;
  hostCpuS?: number;
  roundTrips?: RoundTrips;
}

/** The floor (test/bench/floor-client.ts) right after a vsa run, with that run's round trips. */
export interface FloorFigures {
  wallS: number;
  cpuS: number;
  maxRssMb: number;
}

export interface SizeResult {
  hosts: number;
  /** Every repetition; the report uses the median by wall time. */
  vsaFirst: RunFigures[];
  vsaSecond: RunFigures[];
  floorFirst?: FloorFigures[];
  floorSecond?: FloorFigures[];
  ansibleFirst?: RunFigures;
  ansibleSecond?: RunFigures;
  /** Why an Ansible run was left out. */
  ansibleNote?: string;
}

export interface BenchResults {
  machine: Machine;
  startup: Startup & { runOverheadMs: number };
  roundTrip: RoundTripFigures;
  sizes: SizeResult[];
  rss: { hosts: number; maxRssMb: number; wallS: number }[];
  /** test/bench/history-bench.ts's output. */
  history: string[];
  /** test/bench/run-overhead.ts's output; absent in results written before it was part of the bench. */
  overhead?: OverheadFigures;
  /** test/bench/live-bench.ts's output; absent likewise. */
  live?: LiveFigures;
  /** The whole bench, lab included. */
  benchS: number;
}

/** `vsa run` outside the play, wall from spawn to exit minus the play, medians in ms. */
export interface OverheadFigures {
  runs: number;
  nodeMs: number;
  builtinOutsidePlayMs: number;
  builtinBeyondNodeMs: number;
  externalFirstOutsidePlayMs: number;
  externalOutsidePlayMs: number;
  externalOverBuiltinMs: number;
}

/** From a runner process's commit of a task result to its arrival on an open dashboard stream, ms. */
export interface LiveFigures {
  hosts: number;
  tasks: number;
  results: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

export function figures(r: VsaRun | AnsibleRun, sshd: SshdCounts, hostCpuS?: number): RunFigures {
  const base: RunFigures = {
    wallS: r.wallS,
    cpuS: r.cpuS,
    maxRssMb: Math.round(r.maxRssMb),
    changed: r.changed,
    sshd,
  };
  if (!('roundTrips' in r)) return base;
  return { ...base, playS: r.playS, hostCpuS, roundTrips: r.roundTrips };
}

/** The repetition with the median wall time. */
export function medianRun<T extends { wallS: number }>(runs: readonly T[]): T {
  const sorted = [...runs].sort((a, b) => a.wallS - b.wallS);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
