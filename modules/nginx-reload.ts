/**
 * nginx_reload: the handler behind nginx_vhost and friends. `nginx -t` first, so a broken
 * configuration never reaches the running server; then `systemctl reload nginx` where systemd runs
 * nginx, else `nginx -s reload` (hosts and containers without systemd). With `container`, both run
 * inside the proxy's container through the engine's exec.
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, type Command } from '../runner/shell/command.js';
import { nginxFact } from './facts/nginx.js';
import { nginxArgv, nginxContainerParam } from './nginx-exec.js';

const params = z.object({
  /** Extra nginx options, e.g. `['-p', PREFIX, '-c', CONF]` for a non-default config. */
  nginxArgs: z.array(z.string()).default([]),
  container: nginxContainerParam,
});

export function reloadCommands(nginx: { argv: string[]; systemd: boolean }, nginxArgs: readonly string[]): Command[] {
  const reload =
    nginx.systemd && nginxArgs.length === 0
      ? argv('systemctl', 'reload', 'nginx')
      : argv(...nginx.argv, ...nginxArgs, '-s', 'reload');
  return [argv(...nginx.argv, ...nginxArgs, '-t'), reload];
}

export const nginxReload = defineModule({
  name: 'nginx_reload',
  description: 'Test the NGINX configuration and reload it (systemctl where systemd runs nginx, exec into its container)',
  params,
  // The docker fact is read only when NGINX runs in a container.
  facts: [nginxFact],
  async plan(p, _state, ctx) {
    const nginx = await nginxArgv(ctx.facts, p.container);
    if ('fail' in nginx) return { commands: [], fail: nginx.fail };
    const where = p.container ? ` in ${p.container}` : nginx.systemd ? ' (systemd)' : '';
    return { commands: reloadCommands(nginx, p.nginxArgs), message: `reloaded nginx${where}` };
  },
});
