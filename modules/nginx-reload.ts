/**
 * nginx_reload: the handler behind nginx_vhost and friends. `nginx -t` first, so a broken
 * configuration never reaches the running server; then `systemctl reload nginx` where systemd runs
 * nginx, else `nginx -s reload` (hosts and containers without systemd).
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, type Command } from '../runner/shell/command.js';
import { nginxFact, type NginxFact } from './facts/nginx.js';

const params = z.object({
  /** Extra nginx options, e.g. `['-p', PREFIX, '-c', CONF]` for a non-default config. */
  nginxArgs: z.array(z.string()).default([]),
});

export function reloadCommands(f: NginxFact, nginxArgs: readonly string[]): Command[] {
  const bin = f.bin ?? 'nginx';
  const reload = f.systemd && nginxArgs.length === 0 ? argv('systemctl', 'reload', 'nginx') : argv(bin, ...nginxArgs, '-s', 'reload');
  return [argv(bin, ...nginxArgs, '-t'), reload];
}

export const nginxReload = defineModule({
  name: 'nginx_reload',
  description: 'Test the NGINX configuration and reload it (systemctl where systemd runs nginx)',
  params,
  facts: [nginxFact],
  async plan(p, _state, ctx) {
    const f = await ctx.facts.get(nginxFact);
    if (!f.bin) return { commands: [], fail: 'nginx is not installed on this host' };
    return { commands: reloadCommands(f, p.nginxArgs), message: f.systemd ? 'reloaded nginx (systemd)' : 'reloaded nginx' };
  },
});
