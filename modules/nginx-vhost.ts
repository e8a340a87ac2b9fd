/**
 * nginx_vhost: one vhost file, `CONFDIR/NAME.conf`, from rendered content or a nunjucks template.
 * The write step is one script: atomic write → `nginx -t` → when the test fails, the previous file
 * is put back byte for byte (or the new one removed) and the task fails with nginx's own message.
 * Reloading is left to a handler (`nginx_reload`), so several vhost changes cost one reload.
 * The read step finds the conf dir itself (same shell as the nginx fact), so it stays one round trip.
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, script } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';
import type { ExecResult } from '../runner/connection/types.js';
import type { Plan } from '../runner/module/types.js';
import { nginxFact, NGINX_PATHS_SH } from './facts/nginx.js';
import { nginxArgv, nginxContainerParam } from './nginx-exec.js';
import { hostname } from './hostname.js';
import { fileStateScript, parseFileState, planContentWrite, planRemove, renderForPlan, type FileState } from './lib/index.js';
import { absolutePath } from './lib/schemas.js';

const params = z
  .object({
    /** The site's domain; the file is `NAME.conf`. */
    name: hostname,
    state: z.enum(['present', 'absent']).default('present'),
    content: z.string().optional(),
    /** A template under the templates dir (or absolute), rendered with host vars, `domain` and `vars`. */
    template: z.string().min(1).optional(),
    vars: z.record(z.string(), z.unknown()).default({}),
    templatesDir: z.string().optional(),
    /** Default: the directory nginx.conf includes (`conf.d`, else `sites-enabled`). */
    confDir: absolutePath.optional(),
    /** Extra nginx options for the test, e.g. `['-p', PREFIX, '-c', CONF]` for a non-default config. */
    nginxArgs: z.array(z.string()).default([]),
    container: nginxContainerParam,
  })
  .refine((p) => p.state === 'absent' || (p.content === undefined) !== (p.template === undefined), 'exactly one of content or template');
export type NginxVhostParams = z.output<typeof params>;

export interface VhostState {
  confDir: string;
  file: FileState;
}

export function vhostProbe(p: NginxVhostParams, withContent: boolean): string {
  return [
    p.confDir ? `confdir=${quote(p.confDir)}` : NGINX_PATHS_SH,
    'echo "confdir=$confdir"',
    `if ! cd "$confdir" 2>/dev/null; then echo nodir; exit 0; fi`,
    fileStateScript(`${p.name}.conf`, { withContent }),
  ].join('\n');
}

export function parseVhost(p: NginxVhostParams, res: ExecResult): VhostState {
  const m = /^confdir=(.*)\n/.exec(res.stdout);
  const confDir = m?.[1] ?? p.confDir ?? '';
  const rest = m ? res.stdout.slice(m[0].length) : res.stdout;
  if (rest.startsWith('nodir')) return { confDir: '', file: { exists: false } };
  return { confDir, file: parseFileState({ ...res, stdout: rest }, `${confDir}/${p.name}.conf`) };
}

function render(p: NginxVhostParams, vars: Record<string, unknown>): { content: string } | Plan {
  if (p.content !== undefined) return { content: p.content };
  return renderForPlan({ src: p.template, vars: { ...vars, domain: p.name, ...p.vars }, templatesDir: p.templatesDir });
}

export const nginxVhost = defineModule({
  name: 'nginx_vhost',
  description: 'Write an NGINX vhost, test it with nginx -t and restore the previous file when the test fails',
  params,
  facts: [nginxFact],
  read: (p, ctx) => ({ command: script(vhostProbe(p, ctx.diff)), parse: (res) => parseVhost(p, res) }),
  async plan(p, s: VhostState, ctx): Promise<Plan> {
    if (!s.confDir) return { commands: [], fail: `nginx conf dir ${p.confDir ?? '(from nginx.conf)'} does not exist` };
    const path = `${s.confDir}/${p.name}.conf`;
    if (p.state === 'absent') {
      if (!s.file.exists && !s.file.link) return { commands: [], data: { path } };
      return { ...planRemove(path, s.file.content ?? '', ctx), data: { path } };
    }
    const rendered = render(p, ctx.vars);
    if (!('content' in rendered)) return rendered;
    const { content } = rendered;
    const nginx = await nginxArgv(ctx.facts, p.container);
    if ('fail' in nginx) return { commands: [], fail: nginx.fail };
    return planContentWrite({ path, content, validate: argv(...nginx.argv, ...p.nginxArgs, '-t') }, s.file, ctx);
  },
});
