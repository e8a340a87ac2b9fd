/**
 * nginx_vhosts: several `nginx_vhost`s in one read and one write step, for vhost-sync, where the
 * number of sites is known only once their records are read on each host (tasks have no loops).
 * Each vhost is read and planned by nginx_vhost itself — atomic write, `nginx -t`, the previous
 * file put back byte for byte when the test fails — so the behaviour is the same, only batched.
 */
import { z } from 'zod';
import { nginxFact } from './facts/nginx.js';
import {
  nginxVhost,
  parseVhost,
  vhostProbe,
  type NginxVhostParams,
  type VhostState,
} from './nginx-vhost.js';
import { absolutePath } from './lib/schemas.js';
import { nginxContainerParam } from './nginx-exec.js';
import { hostname } from './hostname.js';
import { batch } from '../runner/module/batch.js';
import { defineModule } from '../runner/module/define.js';
import type { Outcome, Plan } from '../runner/module/types.js';
import { script } from '../runner/shell/command.js';

const params = z.object({
  vhosts: z.array(z.object({ name: hostname, content: z.string() })),
  confDir: absolutePath.optional(),
  /** Extra nginx options for the test, as nginx_vhost takes them. */
  nginxArgs: z.array(z.string()).default([]),
  container: nginxContainerParam,
});

function each(p: z.output<typeof params>): NginxVhostParams[] {
  return p.vhosts.map((v) =>
    nginxVhost.params.parse({
      name: v.name,
      content: v.content,
      confDir: p.confDir,
      nginxArgs: p.nginxArgs,
      container: p.container,
    }),
  );
}

export const nginxVhosts = defineModule({
  name: 'nginx_vhosts',
  description: 'Write several NGINX vhosts, each tested with nginx -t and restored when the test fails',
  params,
  facts: [nginxFact],
  read: (p, ctx) => {
    const vs = each(p);
    // Each probe keeps its own exit status: a failed stat must fail its vhost, not pass unseen.
    const probes = batch(vs.map((v) => script(vhostProbe(v, ctx.diff))));
    return {
      command: vs.length ? probes.command : script('true'),
      parse: (res): VhostState[] => {
        const parts = probes.split(res);
        return vs.map((v, i) => parseVhost(v, parts[i]!));
      },
    };
  },
  async plan(p, states: VhostState[], ctx): Promise<Plan> {
    const vs = each(p);
    const plans = await Promise.all(vs.map((v, i) => nginxVhost.plan(v, states[i]!, ctx)));
    const failed = plans.find((pl) => pl.fail);
    if (failed) return { commands: [], fail: failed.fail };
    const changed = plans.map((pl, i) => ({ pl, name: vs[i]!.name })).filter((x) => x.pl.commands.length > 0);
    const names = changed.map((c) => c.name).join(', ');
    const data = { vhosts: vs.map((v) => v.name), changed: changed.map((c) => c.name) };
    if (changed.length === 0) return { commands: [], message: `${vs.length} vhost(s) up to date`, data };
    return {
      commands: changed.flatMap((c) => c.pl.commands),
      message: `updated ${names}`,
      diff: ctx.diff ? changed.map((c) => c.pl.diff ?? '').join('') : undefined,
      data,
      result: (res): Outcome =>
        res.code === 0
          ? { status: 'changed', message: `updated ${names}`, data }
          : { status: 'failed', message: res.stderr.trim() || `exit code ${res.code}`, data },
    };
  },
});
