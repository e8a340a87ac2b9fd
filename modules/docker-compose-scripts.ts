/**
 * The shell parts of docker_compose: the read step (compose files, content hash, the project's
 * containers) and the health wait. Containers are found by the `com.docker.compose.project` label,
 * which Docker Compose v1/v2 and podman-compose all set.
 */
import { quote } from '../runner/shell/quote.js';
import { PICK_DOCKER_CLI } from './facts/docker.js';

export const CANDIDATES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
export const MARK = '@@vsa-compose';

export const hashFile = (project: string) => `.vsa-compose-${project}.sha256`;

/** Prints the project's containers as inspect JSON (nothing when there are none). */
export function snapshotScript(project: string): string {
  return [
    `echo '${MARK} containers'`,
    `ids=$("$d" ps -aq --filter ${quote(`label=com.docker.compose.project=${project}`)})`,
    'if [ -n "$ids" ]; then "$d" inspect $ids; fi',
  ].join('\n');
}

export interface ReadArgs {
  projectDir: string;
  project: string;
  files: readonly string[];
  envFile?: string;
  /** Images to look for on the host (check mode: which ones `up` would pull). */
  images?: readonly string[];
}

/**
 * One round trip: the asked-for images the host already has (before the project directory, which a
 * first deploy lacks), which compose files exist (their text, for the service list), the sha256 of
 * them and the env file together (the env file's values never leave the host), the hash recorded
 * by the last successful `up`, and the containers.
 */
export function readScript(a: ReadArgs): string {
  const files = a.files.length > 0 ? a.files.map(quote).join(' ') : '';
  const images = a.images?.length
    ? [`for i in ${a.images.map(quote).join(' ')}; do if "$d" image inspect "$i" >/dev/null 2>&1; then echo "${MARK} image $i"; fi; done`]
    : [];
  return [
    PICK_DOCKER_CLI,
    ...images,
    `cd ${quote(a.projectDir)} 2>/dev/null || { echo '${MARK} nodir'; exit 0; }`,
    files
      ? `set -- ${files}`
      : `set --; for f in ${CANDIDATES.join(' ')}; do if [ -f "$f" ]; then set -- "$f"; break; fi; done`,
    `for f in "$@"; do if [ -f "$f" ]; then echo "${MARK} file $f"; base64 < "$f"; else echo "${MARK} missing $f"; fi; done`,
    `echo "${MARK} hash $(cat "$@" ${a.envFile ? `${quote(a.envFile)} ` : ''}2>/dev/null | sha256sum | cut -d' ' -f1)"`,
    `echo "${MARK} recorded $(cat ${quote(hashFile(a.project))} 2>/dev/null)"`,
    snapshotScript(a.project),
  ].join('\n');
}

/** For each `NAME(state)` in the list: its last 3 log lines on stderr, before the verdict. */
const LAST_LOGS = (list: string) =>
  // "worker(exited 3)" splits in two words: only the one with "(" names a container.
  `for c in ${list}; do case $c in *'('*) ;; *) continue ;; esac; n=\${c%%(*}; echo "$n, last log lines:" >&2; "$d" logs --tail 3 "$n" 2>&1 | sed 's/^/  /' >&2 || true; done`;

/**
 * Polls until every container of the project runs and every healthcheck says healthy. Podman
 * without systemd never runs healthchecks by itself (its timers are systemd units), so on Podman
 * each poll runs them (`healthcheck run`). A container that exited non-zero, or never started,
 * fails at once — podman-compose exits 0 even then.
 */
export function waitScript(project: string, timeoutSec: number, podman: boolean): string {
  const fmt = '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{end}}';
  return [
    `end=$(( $(date +%s) + ${timeoutSec} ))`,
    'while :; do',
    '  pending= bad=',
    `  for id in $("$d" ps -aq --filter ${quote(`label=com.docker.compose.project=${project}`)}); do`,
    `    set -- $("$d" inspect --format '${fmt}' "$id")`,
    '    n=${1#/}',
    '    case "$2" in',
    '      running) ;;',
    '      restarting) pending="$pending $n(restarting)"; continue ;;',
    '      exited) if [ "$3" = 0 ]; then continue; fi; bad="$bad $n(exited $3)"; continue ;;',
    '      *) bad="$bad $n($2)"; continue ;;',
    '    esac',
    '    case "${4:-}" in',
    '      ""|healthy) ;;',
    `      *) pending="$pending $n(\${4})"${podman ? '; "$d" healthcheck run "$id" >/dev/null 2>&1 || true' : ''} ;;`,
    '    esac',
    '  done',
    `  if [ -n "$bad" ]; then ${LAST_LOGS('$bad')}; echo "not running:$bad" >&2; exit 1; fi`,
    '  if [ -z "$pending" ]; then break; fi',
    `  if [ "$(date +%s)" -ge "$end" ]; then ${LAST_LOGS('$pending')}; echo "not healthy after ${timeoutSec}s:$pending" >&2; exit 1; fi`,
    '  sleep 1',
    'done',
  ].join('\n');
}
