/**
 * docker_compose: up/down/ps/pull of a Compose project with Docker Compose v2, v1 or podman-compose
 * (detected as a fact, or forced with `command`). The read step gets the compose files, a hash of
 * them and the env file, and the project's containers in one round trip. `up` does nothing when
 * every service runs (healthy where it has a healthcheck) and the files are unchanged since the last
 * `up` (the hash is kept in PROJECT_DIR/.vsa-compose-NAME.sha256: podman-compose keeps no config
 * hash of its own); otherwise it runs `up -d`, waits for health and reports `changed` only when a
 * container was created, recreated or started.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, script, toShell, type Command } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';
import type { ExecResult } from '../runner/connection/types.js';
import type { Outcome, Plan } from '../runner/module/types.js';
import { composeArgv, composeFact, type ComposeKind } from './facts/compose.js';
import { dockerFact, PICK_DOCKER_CLI } from './facts/docker.js';
import { absolutePath } from './lib/schemas.js';
import { inspectArray, toContainer, type ContainerInfo } from './docker-inspect.js';
import { checkSummary, pulls, uploadChanges } from './docker-compose-check.js';
import { hashFile, MARK, readScript, snapshotScript, waitScript } from './docker-compose-scripts.js';

const relOrAbs = z.string().min(1).refine((s) => !s.includes('\n'), 'no newline');

const params = z.object({
  action: z.enum(['up', 'down', 'ps', 'pull']).default('up'),
  projectDir: absolutePath,
  /** Compose files, relative to projectDir; by default the first of compose.yaml … docker-compose.yml. */
  files: z.array(relOrAbs).default([]),
  envFile: relOrAbs.optional(),
  /** Default: projectDir's base name, lower-cased, as Compose derives it. */
  projectName: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and -').optional(),
  /** Seconds `up` waits for every healthcheck to pass. */
  timeout: z.number().int().positive().max(86_400).default(120),
  /** Overrides the detected compose command. */
  command: z.enum(['v2', 'v1', 'podman-compose']).optional(),
  /**
   * `up` in check mode: the compose files as this run uploads them (stack-up) and the images they
   * name, since the host's copy is older, or absent on a first deploy, until the run is real.
   */
  planned: z
    .object({
      files: z.array(z.object({ name: relOrAbs, content: z.string() })).min(1),
      images: z.array(relOrAbs).default([]),
      /** The run's env upload would change env/.env (it is in the hash `up` compares). */
      envChanged: z.boolean().default(false),
    })
    .optional(),
});
export type DockerComposeParams = z.output<typeof params>;

export interface ComposeState {
  dirMissing: boolean;
  files: { name: string; content?: string }[];
  hash: string;
  recorded: string;
  containers: ContainerInfo[];
  /** Of the images asked for (`planned`), those the host has. */
  images: string[];
}

export function projectName(p: DockerComposeParams): string {
  const base = p.projectDir.replace(/\/+$/, '').split('/').pop() ?? '';
  return p.projectName ?? (base.toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'default');
}

export function parseComposeState(res: ExecResult): ComposeState {
  const s: ComposeState = { dirMissing: false, files: [], hash: '', recorded: '', containers: [], images: [] };
  for (const block of res.stdout.split(`${MARK} `).slice(1)) {
    const nl = block.indexOf('\n');
    const [tag = '', ...rest] = (nl < 0 ? block : block.slice(0, nl)).split(' ');
    const arg = rest.join(' ').trim();
    const body = nl < 0 ? '' : block.slice(nl + 1);
    if (tag === 'nodir') s.dirMissing = true;
    else if (tag === 'file') s.files.push({ name: arg, content: Buffer.from(body, 'base64').toString('utf8') });
    else if (tag === 'missing') s.files.push({ name: arg });
    else if (tag === 'hash') s.hash = arg;
    else if (tag === 'recorded') s.recorded = arg;
    else if (tag === 'image') s.images.push(arg);
    else if (tag === 'containers') s.containers = inspectArray(body, 'compose containers').map(toContainer);
  }
  return s;
}

/** Service names across the compose files (later files add to earlier ones). */
export function services(files: ComposeState['files']): string[] {
  const names = new Set<string>();
  for (const f of files) {
    const doc: unknown = f.content ? parseYaml(f.content) : undefined;
    const svc = doc && typeof doc === 'object' ? (doc as { services?: unknown }).services : undefined;
    if (svc && typeof svc === 'object') Object.keys(svc).forEach((n) => names.add(n));
  }
  return [...names];
}

const serviceOf = (c: ContainerInfo) => c.labels['com.docker.compose.service'] ?? c.name;

/** Services that lack a running (and, with a healthcheck, healthy) container. */
export function notReady(want: string[], containers: ContainerInfo[]): string[] {
  return want.filter((svc) => {
    const mine = containers.filter((c) => serviceOf(c) === svc);
    return mine.length === 0 || mine.some((c) => c.state !== 'running' || (c.health !== undefined && c.health !== 'healthy'));
  });
}

/** The compose argv with files, env file and project name; `podman-compose` has no --env-file, so the env file is exported. */
export function composeCommand(kind: ComposeKind, p: DockerComposeParams, files: string[], sub: string[]): Command {
  const env = p.envFile && kind !== 'podman-compose' ? ['--env-file', p.envFile] : [];
  const cmd = argv(...composeArgv(kind), ...files.flatMap((f) => ['-f', f]), ...env, '-p', projectName(p), ...sub);
  if (!p.envFile || kind !== 'podman-compose') return cmd;
  const file = p.envFile.startsWith('/') ? p.envFile : `./${p.envFile}`;
  return script(`(set -a; . ${quote(file)}; set +a; ${toShell(cmd)})`);
}

/** Changed when a container is new, was restarted, or was not running before. */
function changedContainers(before: ContainerInfo[], after: ContainerInfo[]): string[] {
  return after
    .filter((c) => {
      const was = before.find((b) => b.id === c.id);
      return !was || was.startedAt !== c.startedAt || was.state !== 'running';
    })
    .map((c) => c.name);
}

function summary(containers: ContainerInfo[]) {
  return containers.map((c) => ({ name: c.name, service: serviceOf(c), state: c.state, ...(c.health ? { health: c.health } : {}) }));
}

export const dockerCompose = defineModule({
  name: 'docker_compose',
  description: 'Compose project up (waiting for health), down, ps or pull, with Docker Compose v2/v1 or podman-compose',
  params,
  facts: [dockerFact, composeFact],
  read: (p, ctx) => ({
    command: script(
      readScript({
        projectDir: p.projectDir,
        project: projectName(p),
        files: p.files,
        envFile: p.envFile,
        ...(ctx.check && p.action === 'up' ? { images: p.planned?.images } : {}),
      }),
    ),
    parse: parseComposeState,
  }),
  async plan(p, s: ComposeState, ctx): Promise<Plan> {
    const project = projectName(p);
    const data = { project, containers: summary(s.containers) };
    if (p.action === 'ps') return { commands: [], message: `${s.containers.length} container(s)`, data };
    if (p.action === 'down' && s.containers.length === 0) return { commands: [], data };
    const planned = ctx.check && p.action === 'up' ? p.planned : undefined;
    if (s.dirMissing && !planned) return { commands: [], fail: `project directory ${p.projectDir} does not exist` };
    const found = planned ? planned.files : s.files;
    const files = found.map((f) => f.name);
    const missing = found.filter((f) => f.content === undefined).map((f) => f.name);
    if (files.length === 0 || missing.length > 0) {
      return { commands: [], fail: `no compose file in ${p.projectDir}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}` };
    }

    const docker = await ctx.facts.get(dockerFact);
    const kind = p.command ?? (await ctx.facts.get(composeFact)).kind;
    if (!kind) return { commands: [], fail: 'no compose command on this host (docker compose, docker-compose or podman-compose)' };
    const cd = script(`${PICK_DOCKER_CLI}\ncd ${quote(p.projectDir)}`);
    const compose = (...sub: string[]) => composeCommand(kind, p, files, sub);

    if (p.action === 'down') {
      return { commands: [cd, compose('down'), argv('rm', '-f', hashFile(project))], message: `down ${project}`, data };
    }
    if (p.action === 'pull') return { commands: [cd, compose('pull')], message: `pull ${project}`, data };

    const want = services(found);
    const lagging = notReady(want, s.containers);
    const edited = s.hash !== s.recorded || (planned !== undefined && uploadChanges(planned, s));
    if (!edited && lagging.length === 0) return { commands: [], message: `${want.length} service(s) up`, data };
    const why = s.dirMissing ? 'first deploy' : edited ? 'compose files changed' : `not ready: ${lagging.join(', ')}`;

    // podman-compose 1.0.3 never recreates a container whose config changed: recreate the project then.
    const recreate = edited && !!s.recorded && kind === 'podman-compose' ? ['--force-recreate'] : [];
    return {
      commands: [
        cd,
        compose('up', '-d', ...recreate),
        // The containers now run these files, healthy or not: a rollback to other files recreates them.
        script(`printf '%s\\n' ${quote(s.hash)} > ${quote(hashFile(project))}`),
        script(waitScript(project, p.timeout, docker.engine === 'podman')),
        script(snapshotScript(project)),
      ],
      message: `up ${project} (${why})${planned ? checkSummary(want, pulls(planned, s)) : ''}`,
      data: planned ? { ...data, services: want, pull: pulls(planned, s) } : data,
      result: (res) => upResult(res, s.containers, want),
    };
  },
});

/** The tail of stderr a failed `up` reports: the wait's verdict and the failing containers' last log lines. */
const LAST_LINES = 12;

function upResult(res: ExecResult, before: ContainerInfo[], want: string[]): Outcome {
  if (res.code !== 0) return { status: 'failed', message: res.stderr.trim().split('\n').slice(-LAST_LINES).join('\n') || `exit code ${res.code}` };
  const after = parseComposeState(res).containers;
  const data = { containers: summary(after) };
  const absent = want.filter((svc) => !after.some((c) => serviceOf(c) === svc));
  if (absent.length > 0) return { status: 'failed', message: `no container for service(s): ${absent.join(', ')}`, data };
  const changed = changedContainers(before, after);
  return changed.length > 0
    ? { status: 'changed', message: `started ${changed.join(', ')}`, data }
    : { status: 'ok', message: 'compose left every container as it was', data };
}
