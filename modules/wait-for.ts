import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { script } from '../runner/shell/command.js';
import { joinArgv, quote } from '../runner/shell/quote.js';
import type { Plan } from '../runner/module/types.js';
import { netToolsFact, type NetToolsFacts } from './facts/net-tools.js';

const waitParams = z
  .object({
    host: z
      .string()
      .regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or address')
      .default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).optional(),
    /** http(s) URL; reached means a response below 400. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    /** started: wait until it answers; stopped: until it no longer does. */
    state: z.enum(['started', 'stopped']).default('started'),
    /** Seconds. */
    timeout: z.number().positive().max(86_400).default(60),
    interval: z.number().positive().max(3600).default(1),
    /** url: accept any TLS certificate. */
    insecure: z.boolean().default(false),
  })
  .refine((p) => (p.port === undefined) !== (p.url === undefined), 'exactly one of port or url');
type WaitParams = z.output<typeof waitParams>;

/**
 * Waits on the host (one round trip, after the tools fact) until a port or URL is up or down.
 * No probing tool is in POSIX, so it uses what the host has: for ports `nc -z`, else bash's
 * /dev/tcp, else `busybox nc`; for URLs `curl`, else `wget`, else `busybox wget`. Read-only: it
 * runs in check mode too, and reports `ok`.
 */
export const waitFor = defineModule({
  name: 'wait_for',
  description: 'Wait until a port or an HTTP URL is up (or down)',
  params: waitParams,
  facts: [netToolsFact],
  plan(p, _state: undefined, ctx): Plan {
    const tools = ctx.facts.peek<NetToolsFacts>(netToolsFact);
    const check = tools && checkCommand(p, tools);
    if (!check) {
      return {
        commands: [],
        fail: `no tool to probe ${p.url ? 'a URL (curl, wget, busybox)' : 'a port (nc, bash, busybox)'} on this host`,
      };
    }
    return waitPlan(p, check);
  },
  runInCheckMode: () => true,
});

/** The shell test that succeeds when the target answers, with the best tool the host has. */
export function checkCommand(p: WaitParams, t: NetToolsFacts): string | undefined {
  if (p.url) {
    if (t.curl)
      return joinArgv([
        'curl',
        '-fsS',
        '-o',
        '/dev/null',
        '-m',
        '5',
        ...(p.insecure ? ['-k'] : []),
        '--',
        p.url,
      ]);
    const wget = [
      'wget',
      '-q',
      '-O',
      '/dev/null',
      '-T',
      '5',
      ...(p.insecure ? ['--no-check-certificate'] : []),
      p.url,
    ];
    if (t.wget) return joinArgv(wget);
    return t.busybox ? joinArgv(['busybox', ...wget]) : undefined;
  }
  const port = String(p.port);
  if (t.nc) return joinArgv(['nc', '-z', '-w', '2', p.host, port]);
  // host and port reach bash as arguments, never as script text.
  if (t.bash) return joinArgv(['bash', '-c', 'exec 3<>"/dev/tcp/$1/$2"', 'wait_for', p.host, port]);
  return t.busybox ? joinArgv(['busybox', 'nc', '-z', '-w', '2', p.host, port]) : undefined;
}

export function waitPlan(p: WaitParams, check: string): Plan {
  const what = p.url ?? `${p.host}:${p.port}`;
  const want = p.state === 'started' ? 'up' : 'down';
  const text = [
    'start=$(date +%s)',
    `deadline=$((start + ${Math.ceil(p.timeout)}))`,
    'while :; do',
    `  if ${check} >/dev/null 2>&1 </dev/null; then now=up; else now=down; fi`,
    `  if [ "$now" = ${want} ]; then echo "waited=$(( $(date +%s) - start ))"; exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$deadline" ]; then printf '%s\\n' ${quote(`timed out after ${p.timeout} s waiting for ${what} to be ${want}`)} >&2; exit 1; fi`,
    `  sleep ${p.interval}`,
    'done',
  ].join('\n');
  return {
    commands: [script(`(\n${text}\n)`)],
    message: `wait for ${what} to be ${want}`,
    result(res) {
      if (res.code !== 0) return { status: 'failed', message: res.stderr.trim() || `exit code ${res.code}` };
      const waited = Number(/waited=(\d+)/.exec(res.stdout)?.[1] ?? 0);
      return { status: 'ok', message: `${what} is ${want} (after ${waited} s)`, data: { waited } };
    },
  };
}
