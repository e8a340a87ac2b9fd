/**
 * rollback_point: all-or-nothing changes to a set of files (a site's vhosts, record, htpasswd).
 * `begin` copies each file (or notes its absence) into `STATE/ID/`, built beside it and renamed
 * into place so a snapshot is whole or absent; `commit` drops it; `rollback` puts every file back
 * (removing those that did not exist) and reloads NGINX (in its container, with `container`). A snapshot still there when `begin` runs
 * again is an earlier run that never finished (killed, connection lost): it is rolled back first.
 * Every step is idempotent, so a kill at any point leaves something the next run repairs.
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import type { Outcome, Plan } from '../runner/module/types.js';
import { script, toShell } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';
import { nginxFact } from './facts/nginx.js';
import { nginxArgv, nginxContainerParam } from './nginx-exec.js';
import { hostname } from './hostname.js';
import { absolutePath } from './lib/schemas.js';
import { reloadCommands } from './nginx-reload.js';

export const ROLLBACK_DIR = '/var/lib/vsa/rollback';

const params = z.object({
  action: z.enum(['begin', 'commit', 'rollback']),
  /** Names the snapshot, e.g. the site's domain. */
  id: hostname,
  /** The files `begin` saves; `rollback` restores what the snapshot recorded, whatever this says. */
  files: z.array(absolutePath).default([]),
  stateDir: absolutePath.default(ROLLBACK_DIR),
  nginxArgs: z.array(z.string()).default([]),
  container: nginxContainerParam,
});
export type RollbackParams = z.output<typeof params>;

const RESTORED = '@@vsa-restored';

/**
 * Puts back every file of the snapshot at `$t` and removes it; prints the marker when there was one.
 * A file that cannot be put back (a full disk) keeps the snapshot for the next run and fails, so a
 * change is never reported undone while part of it is still in place. A file already as it was is
 * left alone: on a full disk, a change that failed before writing anything is still undone.
 */
export const RESTORE_SH = [
  'if [ -d "$t" ]; then',
  '  bad=',
  '  for p in "$t"/*.path; do',
  '    [ -f "$p" ] || continue',
  '    n=${p%.path}; f=$(cat -- "$p")',
  '    if [ -e "$n.absent" ]; then rm -f -- "$f" || bad="$bad $f"',
  '    elif cmp -s -- "$n.file" "$f"; then :',
  '    elif cp -p -- "$n.file" "$f.vsa-restore" && mv -f -- "$f.vsa-restore" "$f"; then :',
  '    else rm -f -- "$f.vsa-restore"; bad="$bad $f"; fi',
  '  done',
  '  if [ -n "$bad" ]; then echo "could not put back:$bad; the snapshot $t is kept for the next run" >&2; exit 1; fi',
  '  rm -rf -- "$t"',
  `  echo ${RESTORED}`,
  'fi',
].join('\n');

const at = (p: Pick<RollbackParams, 'stateDir' | 'id'>) => `t=${quote(`${p.stateDir}/${p.id}`)}`;

/** Restores the snapshot at `$t`, if any, and then reloads NGINX (`reload`, a shell line). */
function restoreAndReload(reload: string): string[] {
  // A snapshot that could not be put back stops here: nothing reloads a half-restored site, and
  // begin takes no new snapshot over the one still needed.
  return ['out=$(', RESTORE_SH, ') || exit 1', 'printf \'%s\\n\' "$out"', `if [ -n "$out" ]; then ${reload}; fi`];
}

/** Rolls back a leftover snapshot (reloading NGINX), then takes a new one of `files`. */
export function beginScript(p: Pick<RollbackParams, 'stateDir' | 'id' | 'files'>, reload: string): string {
  return [
    'umask 077',
    at(p),
    ...restoreAndReload(reload),
    'rm -rf -- "$t.new"; mkdir -p -- "$t.new"',
    ...p.files.map((f, i) => {
      const n = `"$t.new/${i}`;
      return `printf '%s' ${quote(f)} > ${n}.path"; if [ -e ${quote(f)} ]; then cp -p -- ${quote(f)} ${n}.file"; else : > ${n}.absent"; fi`;
    }),
    'mv -- "$t.new" "$t"',
  ].join('\n');
}

export const commitScript = (p: Pick<RollbackParams, 'stateDir' | 'id'>) =>
  [at(p), 'rm -rf -- "$t"'].join('\n');

export function rollbackScript(p: Pick<RollbackParams, 'stateDir' | 'id'>, reload: string): string {
  return [at(p), ...restoreAndReload(reload)].join('\n');
}

function restoredOutcome(yes: string, no: string) {
  return (res: { code: number; stdout: string; stderr: string }): Outcome => {
    if (res.code !== 0) return { status: 'failed', message: res.stderr.trim() || `exit code ${res.code}` };
    return res.stdout.includes(RESTORED)
      ? { status: 'changed', message: yes }
      : { status: 'ok', message: no };
  };
}

export const rollbackPoint = defineModule({
  name: 'rollback_point',
  description:
    'Snapshot files before a change, drop the snapshot when it succeeded, or put the files back and reload NGINX',
  params,
  facts: [nginxFact],
  async plan(p, _state, ctx): Promise<Plan> {
    if (ctx.check) return { commands: [], message: `${p.action} ${p.id}: nothing in check mode` };
    if (p.action === 'commit')
      return {
        commands: [script(commitScript(p))],
        result: () => ({ status: 'ok', message: `${p.id} done` }),
      };
    // The files are the host's (bind-mounted into a proxy container): only NGINX's test and reload
    // go where it runs. With no NGINX to reach, the files are still put back.
    const nginx = await nginxArgv(ctx.facts, p.container);
    const reload = 'fail' in nginx ? 'true' : reloadCommands(nginx, p.nginxArgs).map(toShell).join(' && ');
    if (p.action === 'begin') {
      return {
        commands: [script(beginScript(p, reload))],
        result: restoredOutcome(
          `rolled back an unfinished earlier change of ${p.id}`,
          `snapshot of ${p.id} taken`,
        ),
      };
    }
    return {
      commands: [script(rollbackScript(p, reload))],
      result: restoredOutcome(`${p.id} is back as it was before this run`, `nothing of ${p.id} to roll back`),
    };
  },
});
