import { script, type Command } from '../shell/command.js';
import { quote } from '../shell/quote.js';

/**
 * The sh scripts of the per-host run lock (docs/adr/0008-host-lock-and-pending-actions.md). Every
 * script runs as the login user and picks the one lock of the host itself: `/var/lib/vsa` as root
 * when the login is root or has passwordless sudo, else `~/.local/state/vsa` (a login that cannot
 * become root can only change what it owns). Never /tmp, where any user could plant the path.
 */
export const ROOT_LOCK_DIR = '/var/lib/vsa';

/** How the lock script ran: as a root login, through `sudo -n`, or as a user who cannot become root. */
export type LockScope = 'root' | 'sudo' | 'user';

/** `$1` is the lock's directory and `$2` its scope inside `body`. */
function asLockOwner(body: string, rootDir: string): string {
  return [
    `b=${quote(body)}`,
    // The real uid from /proc (read, a builtin): `id -u` would cost a fork on every run.
    'while read -r k u _; do [ "$k" = Uid: ] && break; done < /proc/self/status',
    `if [ "$u" = 0 ]; then set -- ${quote(rootDir)} root; eval "$b"`,
    `elif sudo -n true 2>/dev/null; then sudo -n sh -c "$b" vsa-lock ${quote(rootDir)} sudo`,
    'else set -- "$HOME/.local/state/vsa" user; eval "$b"; fi',
  ].join('\n');
}

// A pid from a file names a /proc entry only when it is digits ("self" would always be alive).
const ALIVE = [
  'alive() {',
  '  case $1 in ""|*[!0-9]*) return 1 ;; esac',
  '  { read -r s < "/proc/$1/stat"; } 2>/dev/null || return 1',
  '  w=$2; set -- ${s##*) }',
  // A zombie has ended: its parent (or an init that reaps slowly) merely has not collected it yet.
  '  [ "$1" = Z ] && return 1; shift 19',
  // Field 22, the start time in ticks since boot: a pid the kernel gave to a new process is not the holder.
  '  [ "$1" = "$w" ]',
  '}',
].join('\n');

/**
 * Sets `h` and `t` to the holder and its start time: the first ancestor of this shell that is not
 * a shell or sudo, i.e. the SSH session's sshd (or the control process for a local connection).
 * It lives exactly as long as the run's connection, and the host's kernel judges it: no clock is
 * involved. Each session shell records it too (shell-session.ts), so a lock names its run's shells.
 */
export const FIND_HOLDER = [
  'p=$$; h=',
  'while [ -z "$h" ] && { read -r s < "/proc/$p/stat"; } 2>/dev/null; do',
  '  c=${s#*(}; c=${c%)*}; set -- ${s##*) }',
  '  case $c in sh|dash|bash|ash|busybox|sudo|su) p=$2 ;; *) h=$p; shift 19; t=$1 ;; esac',
  'done',
].join('\n');

const HOLDER = [
  FIND_HOLDER,
  'case $h in ""|1) echo "cannot find this session\'s process in /proc on the host" >&2; echo "failed $l"; exit 0 ;; esac',
].join('\n');

/**
 * Stops what a dead holder's run left running: its session shells (named by their folders, which
 * record the holder) and every process of their sessions (sshd makes each shell a session leader),
 * killed until none is left, since a dying command may still fork. A folder counts only when its
 * owner is its shell's user, so a planted folder cannot name another user's processes. Prints the
 * pids it killed as `stopped=`.
 */
const STOP_SESSIONS = [
  'stop() {',
  '  sh_hp=$1; sh_hs=$2; k=; g=',
  '  for f in /tmp/.vsa-*/pid; do',
  '    [ -d "${f%/pid}" ] && [ ! -L "${f%/pid}" ] && { read -r o os oh ohs < "$f"; } 2>/dev/null || continue',
  '    [ "$oh|$ohs" = "$sh_hp|$sh_hs" ] && alive "$o" "$os" || continue',
  '    { while read -r a b _; do [ "$a" = Uid: ] && break; done < "/proc/$o/status"; } 2>/dev/null',
  '    [ "$(stat -c %u "${f%/pid}")" = "$b" ] || continue',
  '    k="$k $o"; g="$g ${f%/pid}"',
  '  done',
  '  [ -n "$k" ] || return 0',
  '  n=0; all=',
  '  while [ $n -lt 50 ]; do',
  '    v=',
  '    for q in /proc/[0-9]*; do',
  '      { read -r s < "$q/stat"; } 2>/dev/null || continue',
  '      set -- ${s##*) }',
  '      [ "$1" = Z ] && continue',
  '      case " $k " in *" $4 "*) v="$v ${q#/proc/}" ;; esac',
  '    done',
  '    [ -n "$v" ] || break',
  '    kill -KILL $v 2>/dev/null; all="$all$v"; n=$((n+1))',
  '    sleep 0.1',
  '  done',
  '  rm -rf $g',
  '  echo "stopped=${all# }"',
  '}',
].join('\n');

/** Reads the lock's record into `$1run`, `$1hp` and `$1hs` (run id, holder pid, its start time). */
const readRecord = (prefix: string) =>
  `${prefix}run= ${prefix}hp= ${prefix}hs=; { while IFS='=' read -r k v; do case $k in run) ${prefix}run=$v ;; holder) ${prefix}hp=$v ;; start) ${prefix}hs=$v ;; esac; done < "$l/info"; } 2>/dev/null`;

/** Writes `lines` as the host's pending actions (temp file + rename: never half-written), or removes them. */
export function pendingWrite(lines: readonly string[]): string {
  if (lines.length === 0) return 'if [ -e "$d/pending" ]; then rm -f "$d/pending"; fi';
  return `(umask 077; printf '%s\\n' ${lines.map(quote).join(' ')} > "$d/pending.new") && mv -f "$d/pending.new" "$d/pending"`;
}

/**
 * Leftovers of this login's killed runs in /tmp: session folders (`/tmp/.vsa-HEX`, see
 * shell-session.ts) whose session shell is gone (it never ran its cleanup trap), and staged
 * uploads (`/tmp/.vsa-put-HEX`, ssh-connection.ts) over an hour old. An upload names no process;
 * it is moved into place in the round trip after it, so one an hour old (by the host's own clock,
 * against its own mtime) was left by a run that died between the two.
 */
export const STAGED_UPLOAD_MAX_AGE_SEC = 3600;

const SWEEP_TEMP = [
  'for t in /tmp/.vsa-*; do',
  '  [ ! -L "$t" ] && [ -O "$t" ] || continue',
  '  case $t in',
  `    /tmp/.vsa-put-*) [ -f "$t" ] && [ $(( \${now:=$(date +%s)} - $(stat -c %Y "$t") )) -gt ${STAGED_UPLOAD_MAX_AGE_SEC} ] && rm -f "$t"; continue ;;`,
  '  esac',
  '  [ -d "$t" ] && { read -r o _ < "$t/pid"; } 2>/dev/null || continue',
  '  case $o in ""|*[!0-9]*) continue ;; esac',
  '  [ -d "/proc/$o" ] || rm -rf "$t"',
  'done',
].join('\n');

/**
 * Takes the lock or says who holds it, in one round trip. The record is written in a private
 * directory first and renamed into place, so a lock is either complete or absent: a full disk
 * fails the write (`failed`, the host's message on stderr) and leaves nothing behind. A lock
 * whose holder is gone (or whose record is unreadable, e.g. from an older vsa) is `stale`.
 * On success it prints the host's pending actions, one `pending LINE` each.
 */
export function acquireLockCommand(fields: readonly string[], rootDir = ROOT_LOCK_DIR): Command {
  const body = [
    'd=$1; how=$2; l="$d/run.lock"; n="$l.new.$$"',
    `if [ ! -d "$d" ]; then (umask 022; mkdir -p "$d") || { echo "failed $l"; exit 0; }; fi`,
    // Only a directory of the lock's own user: nobody else may have made it or point it elsewhere.
    'if [ -L "$d" ] || [ ! -O "$d" ]; then echo "$d is not a directory of the lock\'s user ($how)" >&2; echo "failed $l"; exit 0; fi',
    HOLDER,
    ALIVE,
    STOP_SESSIONS,
    `rec() { printf '%s\\n' ${fields.map(quote).join(' ')} "holder=$h" "start=$t"; }`,
    'if ! mkdir "$n"; then echo "failed $l"; exit 0; fi',
    // dash's printf only says "I/O error" when the write fails: cat names the cause (a full disk).
    'if ! { rec > "$n/info"; } 2>/dev/null; then rec | cat > "$n/info"; rm -rf "$n"; echo "failed $l"; exit 0; fi',
    'if mv -T "$n" "$l" 2>/dev/null; then',
    '  echo "acquired $l $how"',
    '  if [ -e "$d/pending" ]; then while IFS= read -r p; do echo "pending $p"; done < "$d/pending"; fi',
    '  exit 0',
    'fi',
    'rm -rf "$n"',
    // Only vsa's own directory is a lock: a file or a link in its place is no holder, and never followed.
    'if [ -L "$l" ] || { [ -e "$l" ] && [ ! -d "$l" ]; }; then',
    '  if [ -L "$l" ]; then w="a symbolic link"; else w="a file"; fi',
    '  echo "$l is $w, not a lock directory vsa made: remove it if no run of vsa is under way" >&2; echo "failed $l"; exit 0',
    'fi',
    'if [ ! -d "$l" ]; then echo "gone $l"; exit 0; fi',
    readRecord(''),
    'if alive "$hp" "$hs"; then',
    '  echo "held $l"; echo "age=$(( $(date +%s) - $(stat -c %Y "$l" 2>/dev/null || date +%s) ))"; cat "$l/info" 2>/dev/null; exit 0',
    'fi',
    // Breakers queue on a second mkdir, then remove only the record they judged stale.
    'm="$l.break"',
    'if ! mkdir "$m" 2>/dev/null; then',
    // Both times by the host's own clock: a breaker killed in its few milliseconds leaves the marker.
    '  if [ $(( $(date +%s) - $(stat -c %Y "$m" 2>/dev/null || date +%s) )) -gt 60 ]; then rmdir "$m" 2>/dev/null; fi',
    '  echo "busy $l"; exit 0',
    'fi',
    readRecord('x'),
    // The dead run's commands may still be changing the host: they are stopped before the lock goes.
    'if [ "$run|$hp|$hs" = "$xrun|$xhp|$xhs" ]; then stopped=$(stop "$hp" "$hs"); rm -rf "$l"; fi',
    'rmdir "$m"',
    'echo "stale $l"; echo "run=$run"; echo "holder=$hp"; [ -z "$stopped" ] || echo "$stopped"',
  ].join('\n');
  return script([SWEEP_TEMP, asLockOwner(body, rootDir)].join('\n'));
}

/**
 * Removes the lock only while it still is the one of `runId` (never a lock someone took since),
 * and first leaves the host's pending actions as `pending` says (undefined: as they are).
 */
export function releaseLockCommand(runId: string, pending?: readonly string[], rootDir = ROOT_LOCK_DIR): Command {
  const body = [
    'd=$1; l="$d/run.lock"',
    readRecord(''),
    `if [ "$run" = ${quote(runId)} ]; then`,
    ...(pending ? [`  ${pendingWrite(pending)}`] : []),
    '  rm -rf "$l"',
    'fi',
  ].join('\n');
  return script(asLockOwner(body, rootDir));
}

/**
 * Records `lines` as the host's pending actions in `dir`, as the lock's user: chained before a
 * write step, so an action is on record before the change that needs it is made.
 */
export function recordPendingCommand(dir: string, lines: readonly string[], viaSudo: boolean): Command {
  const text = `d=${quote(dir)}\n${pendingWrite(lines)} || exit 1`;
  return script(viaSudo ? `sudo -n sh -c ${quote(text)}` : text);
}
