/**
 * docker_network: a network exists (created when absent) and the given containers are attached to it
 * (`docker network connect`); `state: absent` removes the network, or with `containers` only detaches
 * them. The network and every container are inspected in one round trip. Works with Docker and with
 * Podman behind the docker CLI (podman-docker).
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, script, type Command } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';
import type { ExecResult } from '../runner/connection/types.js';
import { dockerFact, PICK_DOCKER_CLI } from './facts/docker.js';
import { unifiedDiff } from './lib/diff.js';
import { ProbeError } from './lib/errors.js';
import { inspectArray, isNotFound, toContainer, toNetwork, type ContainerInfo, type NetworkInfo } from './docker-inspect.js';

/** Docker's own rule for network and container names. */
export const dockerName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a Docker name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)');

const params = z.object({
  name: dockerName,
  state: z.enum(['present', 'absent']).default('present'),
  driver: z.string().regex(/^[a-z0-9_-]+$/).optional(),
  containers: z.array(dockerName).default([]),
});
export type DockerNetworkParams = z.output<typeof params>;

export interface NetworkState {
  network: NetworkInfo | null;
  /** Per container name: its details, or null when there is no such container. */
  containers: Map<string, ContainerInfo | null>;
}

const MARK = '@@vsa-part';

/** Each inspect with its exit status, stderr merged: "not found" and "daemon down" must differ. */
export function networkProbe(p: DockerNetworkParams): Command {
  const part = (cmd: string) => [`echo '${MARK}'`, `${cmd} 2>&1; echo "@@rc $?"`];
  return script(
    [
      PICK_DOCKER_CLI,
      ...part(`"$d" network inspect ${quote(p.name)}`),
      ...p.containers.flatMap((c) => part(`"$d" inspect --type container ${quote(c)}`)),
    ].join('\n'),
  );
}

export function parseNetworkState(p: DockerNetworkParams, res: ExecResult): NetworkState {
  if (res.code !== 0) throw new ProbeError(`network ${p.name}`, res.code, res.stderr);
  const parts = res.stdout.split(`${MARK}\n`).slice(1).map((text) => {
    const m = /@@rc (\d+)\s*$/.exec(text);
    return { rc: m ? Number(m[1]) : 1, text: m ? text.slice(0, m.index) : text };
  });
  const found = (i: number, what: string) => {
    const part = parts[i];
    if (!part) throw new ProbeError(what, 1, 'missing from the probe output');
    if (part.rc === 0) return inspectArray(part.text, what)[0];
    if (isNotFound(part.text)) return undefined;
    throw new ProbeError(what, part.rc, part.text);
  };
  const net = found(0, `network ${p.name}`);
  const containers = new Map(
    p.containers.map((c, i) => {
      const j = found(i + 1, `container ${c}`);
      return [c, j ? toContainer(j) : null] as const;
    }),
  );
  return { network: net ? toNetwork(net) : null, containers };
}

function describe(s: NetworkState, name: string): string {
  if (!s.network) return `network ${name}: absent\n`;
  const attached = [...s.containers].filter(([, c]) => c?.networks.includes(name)).map(([n]) => n);
  return `network ${name}: present\n${attached.map((c) => `attached: ${c}\n`).join('')}`;
}

export const dockerNetwork = defineModule({
  name: 'docker_network',
  description: 'A Docker/Podman network exists and the given containers are attached to it',
  params,
  facts: [dockerFact],
  read: (p) => ({ command: networkProbe(p), parse: (res) => parseNetworkState(p, res) }),
  async plan(p, s: NetworkState, ctx) {
    const cli = (await ctx.facts.get(dockerFact)).cli ?? 'docker';
    const missing = [...s.containers].filter(([, c]) => c === null).map(([n]) => n);
    if (missing.length > 0 && p.state === 'present') return { commands: [], fail: `no such container: ${missing.join(', ')}` };

    const commands: Command[] = [];
    const done: string[] = [];
    const after: NetworkState = { network: s.network, containers: new Map(s.containers) };
    const attached = (c: string) => !!s.containers.get(c)?.networks.includes(p.name);
    const setNetworks = (c: string, nets: string[]) => after.containers.set(c, { ...s.containers.get(c)!, networks: nets });

    if (p.state === 'present') {
      if (!s.network) {
        commands.push(argv(cli, 'network', 'create', ...(p.driver ? ['--driver', p.driver] : []), p.name));
        done.push(`created network ${p.name}`);
        after.network = { name: p.name, id: '', driver: p.driver ?? 'bridge' };
      }
      for (const c of p.containers.filter((x) => !attached(x))) {
        commands.push(argv(cli, 'network', 'connect', p.name, c));
        done.push(`attached ${c}`);
        setNetworks(c, [...(s.containers.get(c)?.networks ?? []), p.name]);
      }
    } else if (s.network && p.containers.length > 0) {
      for (const c of p.containers.filter(attached)) {
        commands.push(argv(cli, 'network', 'disconnect', p.name, c));
        done.push(`detached ${c}`);
        setNetworks(c, s.containers.get(c)!.networks.filter((n) => n !== p.name));
      }
    } else if (s.network) {
      commands.push(argv(cli, 'network', 'rm', p.name));
      done.push(`removed network ${p.name}`);
      after.network = null;
    }

    const data = { network: p.name, exists: !!after.network, attached: p.containers.filter((c) => after.containers.get(c)?.networks.includes(p.name)) };
    if (commands.length === 0) return { commands, data };
    return {
      commands,
      message: done.join('; '),
      data,
      diff: ctx.diff ? unifiedDiff(`/network/${p.name}`, describe(s, p.name), describe(after, p.name)) : undefined,
    };
  },
});
