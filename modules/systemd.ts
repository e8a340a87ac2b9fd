import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, type Command } from '../runner/shell/command.js';
import type { ExecResult } from '../runner/connection/types.js';
import type { Plan } from '../runner/module/types.js';
import { initSystemFact, systemdMissing, type InitSystemFacts } from './facts/init-system.js';

const systemdParams = z
  .object({
    /** `nginx`, `nginx.service`, `vsa-renew.timer`, …; no suffix means `.service`. */
    name: z.string().regex(/^[A-Za-z0-9:_.@\\-]+$/, 'a unit name'),
    state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(),
    enabled: z.boolean().optional(),
    /** Run `systemctl daemon-reload` first when systemd says a unit file changed on disk. */
    daemonReload: z.boolean().default(true),
  })
  .refine((p) => p.state !== undefined || p.enabled !== undefined, 'state or enabled is required');
type SystemdParams = z.output<typeof systemdParams>;

export interface UnitState {
  /** `loaded`, `not-found`, `masked`, … */
  load: string;
  /** `active`, `inactive`, `failed`, `activating`, … */
  active: string;
  /** `enabled`, `disabled`, `static`, `masked`, … (empty for a unit without a file). */
  file: string;
  needDaemonReload: boolean;
  error?: string;
}

const RUNNING = new Set(['active', 'activating', 'reloading']);
const ENABLED = new Set(['enabled', 'enabled-runtime', 'alias', 'static', 'indirect', 'generated']);

/**
 * A systemd unit or timer: started/stopped/restarted/reloaded and enabled/disabled, read from one
 * `systemctl show`. `restarted` and `reloaded` always act (they are what handlers call); the rest
 * act only when the unit differs. Fails clearly where systemd is not PID 1.
 */
export const systemd = defineModule({
  name: 'systemd',
  description: 'Start, stop, restart, reload, enable or disable a systemd unit',
  params: systemdParams,
  facts: [initSystemFact],
  read: (p) => ({
    command: argv(
      'systemctl',
      'show',
      '-p',
      'LoadState,ActiveState,UnitFileState,NeedDaemonReload',
      '--',
      unitName(p.name),
    ),
    parse: parseUnitState,
  }),
  plan(p, unit: UnitState, ctx): Plan {
    const init = ctx.facts.peek<InitSystemFacts>(initSystemFact);
    const missing = init && systemdMissing(init);
    if (missing) return { commands: [], fail: missing };
    return planUnit(p, unit);
  },
});

export function unitName(name: string): string {
  return /\.(service|timer|socket|target|mount|path|slice|scope|automount|swap|device)$/.test(name)
    ? name
    : `${name}.service`;
}

export function planUnit(p: SystemdParams, u: UnitState): Plan {
  const unit = unitName(p.name);
  if (u.error) return { commands: [], fail: `systemctl show ${unit}: ${u.error}` };
  const wantsUnit = p.enabled === true || (p.state !== undefined && p.state !== 'stopped');
  if (u.load === 'not-found' && wantsUnit) return { commands: [], fail: `unit ${unit} not found` };
  if (u.load === 'masked' && wantsUnit) return { commands: [], fail: `unit ${unit} is masked` };

  const steps: [string, Command][] = [];
  const ctl = (verb: string) => steps.push([`${verb} ${unit}`, argv('systemctl', verb, '--', unit)]);
  if (p.enabled === true && !ENABLED.has(u.file)) ctl('enable');
  if (p.enabled === false && u.file === 'enabled') ctl('disable');
  const running = RUNNING.has(u.active);
  if (p.state === 'started' && !running) ctl('start');
  if (p.state === 'stopped' && running) ctl('stop');
  if (p.state === 'restarted') ctl('restart');
  if (p.state === 'reloaded') ctl(running ? 'reload' : 'start');
  // Reload before anything else acts, and also on its own: a changed unit file is a change.
  if (p.daemonReload && u.needDaemonReload)
    steps.unshift(['daemon-reload', argv('systemctl', 'daemon-reload')]);
  if (steps.length === 0) return { commands: [] };
  return { commands: steps.map(([, c]) => c), message: steps.map(([m]) => m).join(', ') };
}

export function parseUnitState(res: ExecResult): UnitState {
  const kv = new Map(
    res.stdout.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
  return {
    load: kv.get('LoadState') ?? '',
    active: kv.get('ActiveState') ?? '',
    file: kv.get('UnitFileState') ?? '',
    needDaemonReload: kv.get('NeedDaemonReload') === 'yes',
    ...(res.code !== 0 ? { error: res.stderr.trim() || `exit code ${res.code}` } : {}),
  };
}
