import { cpus, loadavg, release, totalmem } from 'node:os';
import { ansibleVersion } from './ansible-run.js';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  kernel: string;
  node: string;
  ansible: string;
  date: string;
  /** 1-minute load average when the bench started and ended: other work on the machine skews every figure. */
  loadStart: number;
  loadEnd?: number;
}

export function describeMachine(): Machine {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    ansible: ansibleVersion(),
    date: new Date().toISOString(),
    loadStart: loadavg()[0]!,
  };
}
