import { dirname } from 'node:path';
import { CANDIDATES } from '../../modules/docker-compose-scripts.js';
import { PICK_DOCKER_CLI } from '../../modules/facts/docker.js';
import type { Task, TaskOptions } from '../../runner/playbook/types.js';
import { quote } from '../../runner/shell/quote.js';
import { PROXY_NETWORK, SITES_DIR } from '../../site/paths.js';
import type { ProxyName } from '../../site/stack-proxy-names.js';
import { scriptRead } from './reads.js';

/*
 * A name on the proxy network is a claim on visitors: the proxy resolves a site's container by
 * name through the engine's DNS, and the DNS answers every container that has that name or alias
 * there, in turn. These reads refuse a change that would give one name two holders (or one site
 * name two sites), before anything on the host changes.
 */

/**
 * `holders` prints one line per container on the proxy network: `NAME|PROJECT|ALIAS ALIAS …`
 * (PROJECT: its compose project, empty when started by hand; docker prints the name as `/NAME`).
 */
const HOLDERS = [
  PICK_DOCKER_CLI,
  'holders() {',
  `  "$d" network inspect ${PROXY_NETWORK} >/dev/null 2>&1 || return 0`,
  `  for c in $("$d" ps -aq --filter network=${PROXY_NETWORK}); do`,
  `    "$d" inspect --type container -f ${quote(
    `{{.Name}}|{{index .Config.Labels "com.docker.compose.project"}}|{{range $k, $v := .NetworkSettings.Networks}}{{if eq $k "${PROXY_NETWORK}"}}{{range $v.Aliases}}{{.}} {{end}}{{end}}{{end}}`,
  )} "$c" 2>/dev/null`,
  '  done',
  '}',
  // The first holder of name $1 outside project $2 (no project: every holder but the one named $1),
  // in any case: DNS names are.
  'other_holder() {',
  `  printf '%s\\n' "$HOLDERS" | awk -F'|' -v n="$1" -v p="$2" 'BEGIN { n = tolower(n) } $0 != "" { sub(/^\\//, "", $1); if (p != "" ? $2 == p : tolower($1) == n) next; if (tolower($1) == n) { print $1; exit } k = split($3, a, " "); for (i = 1; i <= k; i++) if (tolower(a[i]) == n) { print $1; exit } }'`,
  '}',
  'HOLDERS=$(holders)',
].join('\n');

/** Fails, naming the cause, unless the container runs and no other container answers to its name. */
const containerAlone = scriptRead({
  name: 'container running',
  script: (container: string) =>
    [
      HOLDERS,
      `s=$("$d" inspect --type container -f '{{.State.Running}}' ${quote(container)} 2>/dev/null) || s="no such container"`,
      `[ "$s" = true ] || { echo ${quote(`container ${container} is not running on ${PROXY_NETWORK}`)}" ($s)" >&2; exit 1; }`,
      `o=$(other_holder ${quote(container)} '')`,
      `[ -z "$o" ] || { echo "container $o also answers to the name "${quote(
        `${container} on ${PROXY_NETWORK} (a network alias): the proxy would send this site's visitors to both; remove that alias or rename that service`,
      )} >&2; exit 1; }`,
    ].join('\n'),
  parse: () => true,
});

export function containerRunningTask(container: string, opts: TaskOptions = {}): Task {
  return containerAlone.task(`container ${container} is running`, container, opts);
}

/**
 * Fails unless the stack `project` deployed to `projectDir` (`SRV/TENANT/NAME`) is no other tenant's
 * stack nor a project of its own beside the tenants (`SRV/NAME`, as the reverse proxy is) — the
 * compose project is the stack's name, so `up` would replace those containers — and every name it takes on the proxy network is free: no container of another
 * project (or started by hand) answers to it, and no site proxies to it unless it is one of this
 * stack's own `container_name`s.
 */
const stackNamesFree = scriptRead({
  name: 'stack names on the proxy network',
  script: ({ project, names, projectDir }: { project: string; names: ProxyName[]; projectDir: string }) =>
    [
      `for o in ${quote(dirname(dirname(projectDir)))}/*/${quote(project)}; do`,
      `  [ -d "$o" ] && [ "$o" != ${quote(projectDir)} ] || continue`,
      `  echo ${quote(`stack ${project} is already deployed for another tenant (`)}"$o"${quote(
        `): its compose project is also named ${project}, so this deploy would replace that tenant's containers; choose another stack name`,
      )} >&2; exit 1`,
      'done',
      // A project beside the tenants' (the reverse proxy's own, /srv/reverse-proxy) is taken too.
      `o=${quote(dirname(dirname(projectDir)))}/${quote(project)}`,
      `for f in ${CANDIDATES.join(' ')}; do`,
      `  [ -f "$o/$f" ] || continue`,
      `  echo ${quote(`the compose project ${project} already runs from `)}"$o"${quote(
        ': this deploy would replace its containers; choose another stack name',
      )} >&2; exit 1`,
      'done',
      HOLDERS,
      ...names.flatMap(({ service, name, own }) => {
        const what = `service ${service} of stack ${project} would answer to the name ${name} on ${PROXY_NETWORK}`;
        return [
          `o=$(other_holder ${quote(name)} ${quote(project)})`,
          `[ -z "$o" ] || { echo ${quote(`${what}, which container `)}"$o"${quote(
            ' answers to: the proxy would send its visitors to both; rename the service (or its container_name or alias)',
          )} >&2; exit 1; }`,
          ...(own
            ? []
            : [
                `s=$(grep -liF ${quote(`"container": ${JSON.stringify(name)}`)} ${SITES_DIR}/*.json 2>/dev/null | head -n 1)`,
                `[ -z "$s" ] || { s=\${s##*/}; echo ${quote(`${what}, the container site `)}"\${s%.json}"${quote(
                  ' proxies to: the proxy would send that site\'s visitors to this stack; rename the service (or its alias)',
                )} >&2; exit 1; }`,
              ]),
        ];
      }),
    ].join('\n'),
  parse: () => true,
});

export function stackNamesFreeTask(project: string, names: ProxyName[], projectDir: string): Task {
  return stackNamesFree.task(`names of ${project} on ${PROXY_NETWORK} are its own`, { project, names, projectDir });
}

/**
 * Fails when one of the site's names (`domain`, and `www.domain` with `www`) is already a name of
 * another site on the host: NGINX would serve that name from whichever server block loads first.
 */
const siteNamesFree = scriptRead({
  name: 'site names',
  script: ({ domain, www }: { domain: string; www: boolean }) => {
    const mine = [domain, ...(www ? [`www.${domain}`] : [])].map(quote).join(' ');
    return [
      `for f in ${SITES_DIR}/*.json; do`,
      '  [ -f "$f" ] || continue',
      '  o=${f##*/}; o=${o%.json}',
      `  [ "$o" = ${quote(domain)} ] && continue`,
      '  names=$o',
      `  grep -q '"www": true' "$f" && names="$o www.$o"`,
      '  for n in $names; do',
      `    for m in ${mine}; do`,
      `      [ "$n" = "$m" ] && { echo "$m is already a name of site $o on this host ($f): NGINX would serve it from one of the two; unprovision $o first, or choose another name (or --no-www)" >&2; exit 1; }`,
      '    done',
      '  done',
      'done',
      'exit 0',
    ].join('\n');
  },
  parse: () => true,
});

export function siteNamesFreeTask(domain: string, www: boolean): Task {
  return siteNamesFree.task(`names of ${domain} are no other site's`, { domain, www });
}

