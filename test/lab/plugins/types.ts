import type { HostNames, LabLayout } from '../layout.js';

/** One lab host once its namespaces exist. */
export interface LabHost extends HostNames {
  /** The host's own files: `${root}/etc/nginx` is what the host sees as `/etc/nginx`. */
  root: string;
  /** Files of the lab about this host that the host itself need not see (sshd config, logs). */
  dir: string;
  /** Persistent namespace files to enter the host. */
  mntFile: string;
  utsFile: string;
}

export interface LabContext {
  layout: LabLayout;
  hosts: readonly LabHost[];
  /** Runs argv inside the host's network, mount and UTS namespaces and waits for it. */
  runIn(host: LabHost, argv: readonly string[]): Promise<void>;
  /** Starts a long-running daemon inside the host (not waited for) and records its pid. */
  spawnIn(host: LabHost, argv: readonly string[]): number;
  /** Pids the lab must kill on teardown (daemons started outside `spawnIn`). */
  recordPid(host: LabHost, pid: number): void;
}

/**
 * A piece of software every lab host gets. The SSH daemon is one; NGINX, the container engine and
 * Pebble plug in the same way. `mounts` are extra absolute paths (directories) given a private copy
 * per host before any plugin runs.
 */
export interface LabPlugin {
  readonly name: string;
  readonly mounts?: readonly string[];
  setupGlobal?(ctx: LabContext): Promise<void>;
  setupHost?(host: LabHost, ctx: LabContext): Promise<void>;
  /** Variables the plugin adds to the lab inventory's `lab` group (e.g. the ACME server to use). */
  vars?(ctx: LabContext): Record<string, unknown>;
  /** Variables of one host (over the group's), for a plugin that sets up only some hosts. */
  hostVars?(host: LabHost): Record<string, unknown>;
}
