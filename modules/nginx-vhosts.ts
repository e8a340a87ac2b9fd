/**
 * nginx_vhosts: several `nginx_vhost`s in one read and one write step, for vhost-sync, where the
 * number of sites is known only once their records are read on each host (tasks have no loops).
 * Vhosts are grouped by site, and each site stands alone: the read step tests the site's candidate
 * vhosts with `nginx -t` on a copy of the configuration tree (so check mode predicts the outcome),
 * a site whose candidate fails is named with NGINX's message and left as it is, and the others are
 * written by nginx_vhost's own plans — atomic write, `nginx -t`, the previous file put back byte
 * for byte when the test fails — one site at a time, a failing one not stopping the next.
 */
import { z } from 'zod';
import { nginxFact, NGINX_PATHS_SH } from './facts/nginx.js';
import {
  nginxVhost,
  parseVhost,
  vhostProbe,
  type NginxVhostParams,
  type VhostState,
} from './nginx-vhost.js';
import { absolutePath } from './lib/schemas.js';
import { nginxContainerParam, shWhereNginxRuns } from './nginx-exec.js';
import { hostname } from './hostname.js';
import { batch } from '../runner/module/batch.js';
import { defineModule } from '../runner/module/define.js';
import type { Outcome, Plan } from '../runner/module/types.js';
import { chain, pipeContent, script, toShell, type Command } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';

const params = z.object({
  /** `site` groups a site's vhosts (default: each vhost on its own). */
  vhosts: z.array(z.object({ name: hostname, content: z.string(), site: hostname.optional() })),
  confDir: absolutePath.optional(),
  /** Extra nginx options for the test, as nginx_vhost takes them. */
  nginxArgs: z.array(z.string()).default([]),
  container: nginxContainerParam,
});
type Params = z.output<typeof params>;

interface Site {
  site: string;
  vhosts: NginxVhostParams[];
}

function sitesOf(p: Params): Site[] {
  const sites = new Map<string, NginxVhostParams[]>();
  for (const v of p.vhosts) {
    const key = v.site ?? v.name;
    const parsed = nginxVhost.params.parse({
      name: v.name,
      content: v.content,
      confDir: p.confDir,
      nginxArgs: p.nginxArgs,
      container: p.container,
    });
    sites.set(key, [...(sites.get(key) ?? []), parsed]);
  }
  return [...sites].map(([site, vhosts]) => ({ site, vhosts }));
}

/** nginx's args without `-c FILE`: the candidate test gives its own. */
function withoutConf(args: readonly string[]): { conf?: string; rest: string[] } {
  const i = args.indexOf('-c');
  return i < 0 ? { rest: [...args] } : { conf: args[i + 1], rest: [...args.slice(0, i), ...args.slice(i + 2)] };
}

/**
 * `nginx -t` of the whole configuration with this site's candidate vhosts, on a copy of the tree
 * (the directory of nginx.conf, its own paths rewritten to the copy), so nothing live is touched.
 * It runs where NGINX runs: in the proxy's container, the copy is of the tree that NGINX sees.
 */
export function candidateScript(s: Site, p: Pick<Params, 'confDir' | 'nginxArgs' | 'container'>): string {
  const { conf, rest } = withoutConf(p.nginxArgs);
  const body = [
    NGINX_PATHS_SH,
    ...(conf ? [`conf=${quote(conf)}`] : []),
    ...(p.confDir ? [`confdir=${quote(p.confDir)}`] : []),
    '[ -n "$bin" ] || { echo "nginx is not installed on this host"; exit 1; }',
    'root=${conf%/*}',
    'case "$confdir/" in "$root"/*) ;; *) echo "untested: $confdir is outside $root"; exit 0 ;; esac',
    'c=$(mktemp -d); trap \'rm -rf -- "$c"\' EXIT',
    'cp -a -- "$root/." "$c/"',
    'grep -rlF -- "$root/" "$c" 2>/dev/null | while IFS= read -r f; do sed -i "s#$root/#$c/#g" "$f"; done',
    'cd=$c${confdir#"$root"}; mkdir -p -- "$cd"',
    ...s.vhosts.map((v) => pipeContent(v.content ?? '', `cat > "$cd/"${quote(`${v.name}.conf`)}`)),
    `out=$("$bin" ${rest.map(quote).join(' ')} -t -c "$c/\${conf##*/}" 2>&1); rc=$?`,
    // NGINX names files in the copy: name the real ones instead.
    'printf \'%s\\n\' "$out" | sed "s#$c/#$root/#g"; exit $rc',
  ].join('\n');
  return shWhereNginxRuns(body, p.container);
}

interface State {
  vhosts: VhostState[][];
  /** Per site: NGINX's complaint about its candidate, or undefined when the candidate passes. */
  candidate: Array<string | undefined>;
}

/** The lines that say what is wrong. */
function complaint(res: { stdout: string }): string {
  const lines = res.stdout.split('\n').filter((l) => /\[(emerg|alert|crit|error)\]|not installed/.test(l));
  return lines.join('\n') || res.stdout.trim();
}

export const nginxVhosts = defineModule({
  name: 'nginx_vhosts',
  description: 'Write several sites’ NGINX vhosts, each site tested on its own first and left alone when it fails',
  params,
  facts: [nginxFact],
  read: (p, ctx) => {
    const sites = sitesOf(p);
    const vs = sites.flatMap((s) => s.vhosts);
    // Each probe keeps its own exit status: a failed stat must fail its vhost, not pass unseen.
    const probes = batch([
      ...vs.map((v) => script(vhostProbe(v, ctx.diff))),
      ...sites.map((s) => script(candidateScript(s, p))),
    ]);
    return {
      command: vs.length ? probes.command : script('true'),
      parse: (res): State => {
        if (!vs.length) return { vhosts: [], candidate: [] };
        const parts = probes.split(res);
        let i = 0;
        const vhosts = sites.map((s) => s.vhosts.map((v) => parseVhost(v, parts[i++]!)));
        const candidate = sites.map((_, j) => {
          const r = parts[vs.length + j]!;
          return r.code === 0 ? undefined : complaint(r);
        });
        return { vhosts, candidate };
      },
    };
  },
  async plan(p, state: State, ctx): Promise<Plan> {
    const sites = sitesOf(p);
    const failed: string[] = [];
    const apply: Array<{ site: string; names: string[]; commands: Command[]; diff: string }> = [];
    for (const [i, s] of sites.entries()) {
      const why = state.candidate[i];
      if (why) {
        failed.push(`${s.site}: nginx -t fails with its new vhosts: ${why}`);
        continue;
      }
      const plans = await Promise.all(s.vhosts.map((v, j) => nginxVhost.plan(v, state.vhosts[i]![j]!, ctx)));
      const bad = plans.find((pl) => pl.fail);
      if (bad) {
        failed.push(`${s.site}: ${bad.fail}`);
        continue;
      }
      const changed = plans.map((pl, j) => ({ pl, name: s.vhosts[j]!.name })).filter((x) => x.pl.commands.length > 0);
      if (changed.length)
        apply.push({
          site: s.site,
          names: changed.map((c) => c.name),
          commands: changed.flatMap((c) => c.pl.commands),
          diff: changed.map((c) => c.pl.diff ?? '').join(''),
        });
    }
    const all = sites.flatMap((s) => s.vhosts.map((v) => v.name));
    const data = (applied: string[], notApplied: string[]) => ({ vhosts: all, changed: applied, failed: notApplied });
    const diff = ctx.diff ? apply.map((a) => a.diff).join('') : undefined;
    const changedNames = apply.flatMap((a) => a.names);
    if (failed.length && (ctx.check || apply.length === 0))
      return { commands: [], fail: failed.join('\n'), diff, data: data([], failed) };
    if (apply.length === 0) return { commands: [], message: `${all.length} vhost(s) up to date`, data: data([], []) };
    // Each site in a shell of its own (its own `set -e`), so one failing never stops the next.
    const lines = [
      'failed=',
      ...apply.map((a) => `sh -c ${quote(toShell(chain(a.commands)))} || failed="$failed "${quote(a.site)}`),
      '[ -z "$failed" ] || { echo "nginx -t failed for:$failed" >&2; exit 1; }',
    ];
    return {
      commands: [script(lines.join('\n'))],
      message: `updated ${changedNames.join(', ')}`,
      diff,
      data: data(changedNames, failed),
      result: (res): Outcome => {
        const broken = res.code === 0 ? [] : [res.stderr.trim() || `exit code ${res.code}`];
        const problems = [...failed, ...broken];
        const notApplied = /nginx -t failed for:(.*)/.exec(res.stderr)?.[1]?.trim().split(' ') ?? [];
        const d = data(apply.filter((a) => !notApplied.includes(a.site)).flatMap((a) => a.names), problems);
        return problems.length
          ? { status: 'failed', message: problems.join('\n'), data: d }
          : { status: 'changed', message: `updated ${changedNames.join(', ')}`, data: d };
      },
    };
  },
});
