import { defineFact } from '../../runner/module/define.js';
import { script } from '../../runner/shell/command.js';

export interface NginxFact {
  /** Path of the nginx binary; null when nginx is not installed. */
  bin: string | null;
  version: string;
  /** Main configuration file (`--conf-path`). */
  conf: string;
  /** Where vhost files go: the directory nginx.conf includes (`conf.d` first, else `sites-enabled`). */
  confDir: string;
  /** True when systemd is PID 1 and manages an active nginx unit: reload through systemctl then. */
  systemd: boolean;
}

/**
 * Sets `$bin`, `$conf` and `$confdir` from `nginx -V` and nginx.conf's `include` lines. Shell rather
 * than a parser on the control side because nginx_vhost's read step needs the directory in the
 * same round trip as this fact, before its value is known.
 */
export const NGINX_PATHS_SH = [
  'bin=$(command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }) || bin=',
  `conf=$([ -n "$bin" ] && "$bin" -V 2>&1 | sed -n 's/.*--conf-path=\\([^ ]*\\).*/\\1/p')`,
  'conf=${conf:-/etc/nginx/nginx.conf}',
  `inc=$(sed -n 's/^[[:space:]]*include[[:space:]]\\{1,\\}["'"'"']\\{0,1\\}\\([^;"'"'"']*\\).*/\\1/p' "$conf" 2>/dev/null)`,
  `confdir=$(printf '%s\\n' "$inc" | sed -n 's#^\\(.*conf\\.d\\)/[^/]*\\*[^/]*$#\\1#p' | head -n 1)`,
  `[ -n "$confdir" ] || confdir=$(printf '%s\\n' "$inc" | sed -n 's#^\\(.*sites-enabled\\)/[^/]*\\*[^/]*$#\\1#p' | head -n 1)`,
  '[ -n "$confdir" ] || confdir=${conf%/*}/conf.d',
  'case $confdir in /*) ;; *) confdir=${conf%/*}/$confdir ;; esac',
].join('\n');

export function parseNginxFact(text: string): NginxFact {
  const kv = new Map(
    text
      .split('\n')
      .map((l) => /^(\w+)=(.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!.trim()] as const),
  );
  return {
    bin: kv.get('bin') || null,
    version: /nginx\/(\S+)/.exec(kv.get('version') ?? '')?.[1] ?? '',
    conf: kv.get('conf') || '/etc/nginx/nginx.conf',
    confDir: kv.get('confdir') || '/etc/nginx/conf.d',
    systemd: kv.get('systemd') === 'yes',
  };
}

export const nginxFact = defineFact<NginxFact>({
  name: 'nginx',
  command: script(
    [
      NGINX_PATHS_SH,
      'echo "bin=$bin"; echo "conf=$conf"; echo "confdir=$confdir"',
      `if [ -n "$bin" ]; then "$bin" -v 2>&1 | sed -n 's/^nginx version: /version=/p'; fi`,
      'if [ -d /run/systemd/system ] && systemctl is-active --quiet nginx 2>/dev/null; then echo systemd=yes; fi',
    ].join('\n'),
  ),
  parse: (res) => parseNginxFact(res.stdout),
});
