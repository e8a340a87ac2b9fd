import { defineFact } from '../../runner/module/define.js';
import { script } from '../../runner/shell/command.js';

export interface NginxFact {
  /** Path of the nginx binary; null when nginx is not installed. */
  bin: string | null;
  version: string;
  /** Main configuration file (`--conf-path`). */
  conf: string;
  pidFile: string;
  /** Where vhost files go: the directory nginx.conf includes (`conf.d` first, else `sites-enabled`). */
  confDir: string;
  /** True when systemd is PID 1 and manages an active nginx unit: reload through systemctl then. */
  systemd: boolean;
}

const DEFAULT_CONF = '/etc/nginx/nginx.conf';

/** The vhost directory from nginx.conf's `include` lines. */
export function vhostDir(includes: readonly string[], conf: string): string {
  const dirs = includes.map((i) => i.replace(/\/[^/]*\*[^/]*$/, '')).filter((d, i) => d !== includes[i]);
  const confDir = conf.replace(/\/[^/]*$/, '');
  return (
    dirs.find((d) => d.endsWith('/conf.d')) ??
    dirs.find((d) => d.endsWith('/sites-enabled')) ??
    `${confDir}/conf.d`
  );
}

export function parseNginxFact(text: string): NginxFact {
  const kv = text.split('\n').map((l) => /^(\w+)=(.*)$/.exec(l)).filter((m) => m !== null);
  const one = (k: string) => kv.find((m) => m[1] === k)?.[2]?.trim() ?? '';
  const includes = kv
    .filter((m) => m[1] === 'include')
    .map((m) => m[2]!.trim().replace(/;$/, '').replace(/^["']|["']$/g, ''));
  const conf = /--conf-path=(\S+)/.exec(one('args'))?.[1] ?? DEFAULT_CONF;
  // Relative includes are relative to the configuration's directory.
  const confDir = conf.replace(/\/[^/]*$/, '');
  const absolute = includes.map((i) => (i.startsWith('/') ? i : `${confDir}/${i}`));
  return {
    bin: one('bin') || null,
    version: /nginx\/(\S+)/.exec(one('version'))?.[1] ?? '',
    conf,
    pidFile: /--pid-path=(\S+)/.exec(one('args'))?.[1] ?? '/run/nginx.pid',
    confDir: vhostDir(absolute, conf),
    systemd: one('systemd') === 'yes',
  };
}

export const nginxFact = defineFact<NginxFact>({
  name: 'nginx',
  command: script(
    [
      'bin=$(command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }) || { echo bin=; exit 0; }',
      'echo "bin=$bin"',
      'v=$("$bin" -V 2>&1)',
      `printf '%s\\n' "$v" | sed -n 's/^nginx version: /version=/p; s/^configure arguments: /args=/p'`,
      `conf=$(printf '%s\\n' "$v" | sed -n 's/.*--conf-path=\\([^ ]*\\).*/\\1/p')`,
      `sed -n 's/^[[:space:]]*include[[:space:]]\\{1,\\}\\([^;]*\\);.*/include=\\1/p' "\${conf:-${DEFAULT_CONF}}" 2>/dev/null`,
      'if [ -d /run/systemd/system ] && systemctl is-active --quiet nginx 2>/dev/null; then echo systemd=yes; fi',
    ].join('\n'),
  ),
  parse: (res) => parseNginxFact(res.stdout),
});
