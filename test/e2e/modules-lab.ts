import { $ } from 'zx';
import type { SshConnection } from '../../runner/connection/ssh/ssh-connection.js';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import type { ExecResult } from '../../runner/connection/types.js';
import { loadInventory } from '../../runner/inventory/index.js';
import type { InventoryHost } from '../../runner/inventory/types.js';
import { FactCache } from '../../runner/module/fact-cache.js';
import { runModule } from '../../runner/module/run-module.js';
import type { AnyModule, Outcome } from '../../runner/module/types.js';
import { script } from '../../runner/shell/command.js';
import { labUp, type Lab } from '../lab/lab.js';
import { labPlugins, type PluginChoice } from '../lab/plugins/catalog.js';
import { curlResolveArgs, pointDomain } from '../lab/plugins/dns.js';

export interface RunOpts {
  check?: boolean;
  diff?: boolean;
}

/**
 * A lab for module e2e tests, reached the way `vsa run` reaches hosts: the lab's inventory file,
 * its known_hosts and key, one SSH connection per host. Each `run` is a fresh run of one task
 * (facts read anew), with the host's inventory variables.
 */
export interface ModulesLab {
  lab: Lab;
  host(name: string): InventoryHost;
  run(host: string, module: AnyModule, params: unknown, o?: RunOpts): Promise<Outcome>;
  /** A shell script on the host, for assertions. */
  sh(host: string, text: string): Promise<ExecResult>;
  put(host: string, path: string, content: string): Promise<void>;
  /** Points `domain` at the lab host (Pebble's DNS if the lab runs it, and the lab's hosts file). */
  pointDomain(domain: string, host: string): Promise<void>;
  /** curl from the control machine, with `domain` resolved to its lab host. */
  curl(domain: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

export async function startModulesLab(hosts: number, choice: PluginChoice = {}): Promise<ModulesLab> {
  const plugins = labPlugins(choice);
  const lab = await labUp({ hosts, slot: 'auto', plugins });
  const conns = new Map<string, Promise<SshConnection>>();
  try {
    const inventory = await loadInventory(lab.inventoryFile);
    const host = (name: string) => {
      const h = inventory.hosts.get(name);
      if (!h) throw new Error(`no host ${name} in ${lab.inventoryFile}`);
      return h;
    };
    const conn = (name: string) => {
      let c = conns.get(name);
      if (!c) conns.set(name, (c = openSsh(sshSettings(host(name)))));
      return c;
    };
    return {
      lab,
      host,
      async run(name, module, params, o = {}) {
        const c = await conn(name);
        const facts = new FactCache(c, () => ({}));
        const ctx = {
          host: name,
          vars: host(name).vars,
          check: o.check ?? false,
          diff: o.diff ?? false,
          facts,
        };
        return runModule({ module, params: module.params.parse(params), conn: c, facts, ctx, exec: {} });
      },
      sh: async (name, text) => (await conn(name)).exec(script(text)),
      put: async (name, path, content) => (await conn(name)).put(path, content),
      pointDomain: (domain, name) =>
        pointDomain(
          lab.layout,
          domain,
          host(name).address,
          plugins.some((p) => p.name === 'pebble'),
        ),
      async curl(domain, args) {
        const resolve = await curlResolveArgs(lab.layout.dir, domain);
        const r = await $({ quiet: true, nothrow: true })`curl -sS -m 10 ${resolve} ${args}`;
        return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
      },
      async close() {
        await Promise.all([...conns.values()].map((c) => c.then((x) => x.close()).catch(() => undefined)));
        await lab.down();
      },
    };
  } catch (e) {
    await lab.down();
    throw e;
  }
}
