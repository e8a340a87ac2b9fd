import { mkdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { $ } from 'zx';
import { mapLimit } from '../../runner/util/limiter.js';
import { addHostFs, enterArgv, ensureMountRoot, HOST_DIRS, labHost } from './host-fs.js';
import { withMountRootLock } from './mount-root-lock.js';
import { writeInventory } from './inventory.js';
import { hostNames, labLayout, MAX_SLOTS, type LabLayout } from './layout.js';
import { addHostNetwork, claimBridge } from './network.js';
import { sshdPlugin, type SshdPlugin } from './plugins/sshd.js';
import type { LabContext, LabHost, LabPlugin } from './plugins/types.js';
import { writeState, type LabState } from './state.js';
import { teardownSlot } from './teardown.js';

export interface LabOptions {
  hosts: number;
  /** Added after the SSH daemon, set up in this order on every host. */
  plugins?: LabPlugin[];
  /** A fixed slot (0 is `npm run lab:up`'s), or `auto`: the first free one from 1 up. */
  slot?: number | 'auto';
  /** Hosts set up at once. */
  concurrency?: number;
}

export interface Lab {
  layout: LabLayout;
  hosts: LabHost[];
  inventoryFile: string;
  knownHostsFile: string;
  keyFile: string;
  host(name: string): LabHost;
  stopSshd(host: string): Promise<void>;
  startSshd(host: string): Promise<void>;
  sshdLog(host: string): Promise<string>;
  /** The host's public key line as in known_hosts. */
  hostKey(host: string): string;
  down(): Promise<void>;
}

/** Brings up `hosts` real SSH hosts in network namespaces; on any failure everything is removed again. */
export async function labUp(opts: LabOptions): Promise<Lab> {
  const layout = await claimSlot(opts.slot ?? 0);
  const sshd = sshdPlugin(layout.dir);
  const plugins = [sshd, ...(opts.plugins ?? [])];
  const hosts = Array.from({ length: opts.hosts }, (_, i) => labHost(layout, hostNames(layout, i + 1, opts.hosts)));
  const state: LabState = {
    slot: layout.slot,
    createdAt: new Date().toISOString(),
    plugins: plugins.map((p) => p.name),
    hosts: hosts.map(({ name, ns, address, mntFile, utsFile }) => ({ name, ns, address, mntFile, utsFile })),
    pids: {},
  };
  const ctx = labContext(layout, hosts, state);
  const dirs = [...new Set([...HOST_DIRS, ...plugins.flatMap((p) => p.mounts ?? [])])];
  try {
    await mkdir(layout.dir, { recursive: true });
    writeState(layout.dir, state);
    await withMountRootLock(() => ensureMountRoot(layout, dirs));
    for (const p of plugins) await p.setupGlobal?.(ctx);
    await mapLimit(hosts, opts.concurrency ?? 16, async (host) => {
      await addHostNetwork(layout, host);
      await addHostFs(host, dirs);
      for (const p of plugins) await p.setupHost?.(host, ctx);
    });
    const vars = Object.assign({}, ...plugins.map((p) => p.vars?.(ctx) ?? {})) as Record<string, unknown>;
    const hostVars = (h: LabHost) => Object.assign({}, ...plugins.map((p) => p.hostVars?.(h) ?? {})) as Record<string, unknown>;
    await writeInventory(`${layout.dir}/inventory.yml`, hosts, sshd.keyFile, sshd.knownHostsFile, vars, hostVars);
  } catch (e) {
    await teardownSlot(layout).catch(() => undefined);
    throw e;
  }
  return makeLab(layout, hosts, sshd, ctx);
}

/** Removes the lab of a slot (state file and naming convention), e.g. after a crash. */
export async function labDown(slot = 0): Promise<void> {
  await teardownSlot(labLayout(slot));
}

export async function claimSlot(slot: number | 'auto'): Promise<LabLayout> {
  if (slot !== 'auto') {
    const layout = labLayout(slot);
    if (!(await claimBridge(layout))) {
      throw new Error(`lab slot ${slot} is in use (bridge ${layout.bridge} exists): run npm run lab:down -- --slot ${slot}`);
    }
    return layout;
  }
  for (let s = 1; s < MAX_SLOTS; s++) {
    const layout = labLayout(s);
    if (await claimBridge(layout)) return layout;
  }
  throw new Error('every lab slot is in use: npm run lab:down -- --all');
}

function labContext(layout: LabLayout, hosts: LabHost[], state: LabState): LabContext {
  const recordPid = (host: LabHost, pid: number) => {
    (state.pids[host.name] ??= []).push(pid);
    writeState(layout.dir, state);
  };
  return {
    layout,
    hosts,
    recordPid,
    async runIn(host, argv) {
      await $({ quiet: true })`${[...enterArgv(host), ...argv]}`;
    },
    spawnIn(host, argv) {
      const [cmd, ...args] = [...enterArgv(host), ...argv];
      const child = spawn(cmd!, args, { detached: true, stdio: 'ignore' });
      child.unref();
      if (child.pid === undefined) throw new Error(`${host.name}: could not start ${argv[0]}`);
      recordPid(host, child.pid);
      return child.pid;
    },
  };
}

/** A lookup of the lab's hosts by name that fails naming the host it does not know. */
export function hostByName<H extends { name: string }>(hosts: readonly H[]): (name: string) => H {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  return (name) => {
    const h = byName.get(name);
    if (!h) throw new Error(`no lab host ${name}`);
    return h;
  };
}

function makeLab(layout: LabLayout, hosts: LabHost[], sshd: SshdPlugin, ctx: LabContext): Lab {
  const host = hostByName(hosts);
  return {
    layout,
    hosts,
    inventoryFile: `${layout.dir}/inventory.yml`,
    knownHostsFile: sshd.knownHostsFile,
    keyFile: sshd.keyFile,
    host,
    stopSshd: (name) => sshd.stop(host(name)),
    // Its new pid reaches the state file through ctx.recordPid.
    startSshd: (name) => sshd.start(host(name), ctx),
    sshdLog: (name) => sshd.log(host(name)),
    hostKey: (name) => sshd.hostKey(host(name)),
    down: () => teardownSlot(layout),
  };
}
