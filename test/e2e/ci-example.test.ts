import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labPlugins } from '../lab/plugins/catalog.js';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { ensureBuilt } from './faults-support/vsa.js';

/**
 * Runs the example pipelines' own commands (examples/ci/*.yml, parsed) against a lab host, in a
 * checkout laid out as the examples expect: inventory/staging.yml, stacks/, and vsa installed in
 * node_modules/.bin (the `npm ci` step, which is what this test stands in for). Secrets reach the
 * commands the way the CI systems pass them: the key in an environment variable (GitHub) or a
 * File variable (GitLab), known_hosts as text or a file.
 */
type Env = Record<string, string>;
interface Step {
  id: string;
  script: string;
  env: Env;
}

const REPO = resolve('.');
const BASH = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c'];

function substitute(value: unknown, vars: Env): string {
  const text = String(value).replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`the test does not provide ${name}`);
    return vars[name]!;
  });
  return text.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (m, name: string) => vars[name] ?? m);
}
const envOf = (block: Record<string, unknown> | undefined, vars: Env): Env =>
  Object.fromEntries(Object.entries(block ?? {}).map(([k, v]) => [k, substitute(v, vars)]));

/** GitHub Actions: the job's env and its `run` steps, without `npm ci` (done by the test). */
async function githubSteps(vars: Env): Promise<{ env: Env; steps: Step[] }> {
  const wf = parse(await readFile('examples/ci/github-actions.yml', 'utf8')) as {
    jobs: { staging: { env: Env; steps: { id?: string; run?: string; env?: Env }[] } };
  };
  const job = wf.jobs.staging;
  const steps = job.steps
    .filter((s) => s.run && s.id !== 'install')
    .map((s) => ({ id: s.id!, script: s.run!, env: envOf(s.env, vars) }));
  return { env: envOf(job.env, vars), steps };
}

/** GitLab CI: global variables, then each job's `script` lines as one step (GitLab stops at the first failure). */
async function gitlabSteps(vars: Env): Promise<{ env: Env; steps: Step[] }> {
  const ci = parse(await readFile('examples/ci/gitlab-ci.yml', 'utf8')) as Record<
    string,
    { script?: string[] }
  > & {
    variables: Env;
  };
  const env = envOf(ci.variables, vars);
  const steps = (['stack-lint', 'deploy-staging'] as const).map((id) => ({
    id,
    script: ci[id]!.script!.join('\n'),
    env: {},
  }));
  return { env, steps };
}

const events = async (file: string) =>
  (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          type: string;
          check?: boolean;
          exitCode?: number;
          recap?: Record<string, Record<string, number>>;
        },
    );
const runEnd = async (file: string) => (await events(file)).find((e) => e.type === 'run:end')!;

describe.skipIf(!canRunLab)('the CI examples, run against a lab host', () => {
  const lab = useLab({ hosts: 1, plugins: labPlugins({ only: ['sshd', 'nginx'] }) });
  let work: string;

  beforeAll(async () => {
    await ensureBuilt();
    work = await mkdtemp(join(tmpdir(), 'vsa-ci-'));
    const host = lab().host('h01');
    await mkdir(join(work, 'inventory'));
    // The lab's staging host runs NGINX itself, not the reverse-proxy container.
    await writeFile(
      join(work, 'inventory/staging.yml'),
      `all:\n  children:\n    staging:\n      hosts:\n        h01: { ansible_host: ${host.address}, ansible_user: root, proxy_mode: host }\n`,
    );
    await cp(join(REPO, 'stacks/llm-gateway'), join(work, 'stacks/llm-gateway'), { recursive: true });
    await mkdir(join(work, 'node_modules/.bin'), { recursive: true });
    await symlink(join(REPO, 'bin/vsa.js'), join(work, 'node_modules/.bin/vsa'));
    await writeFile(join(work, 'package.json'), '{ "name": "staging", "private": true }\n');
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  /** What a CI runner has: no agent, no ssh config of ours, the test's env variables left out. */
  const baseEnv = (extra: Env): Env => {
    const keep = Object.entries(process.env).filter(
      ([k]) => !k.startsWith('VITEST') && k !== 'SSH_AUTH_SOCK' && !k.startsWith('VSA_'),
    );
    return { ...(Object.fromEntries(keep) as Env), ...extra };
  };
  const runSteps = async (pipeline: { env: Env; steps: Step[] }, extra: Env) => {
    const codes: Record<string, number> = {};
    for (const step of pipeline.steps) {
      const env = { ...baseEnv(extra), ...pipeline.env, ...step.env };
      const r = await $({ cwd: work, env, quiet: true, nothrow: true })`${BASH} ${step.script}`;
      codes[step.id] = r.exitCode ?? -1;
      if (r.exitCode !== 0) return { codes, failed: step.id, output: r.stderr };
    }
    return { codes, failed: undefined, output: '' };
  };
  const knownHosts = () => readFile(lab().knownHostsFile, 'utf8');

  it('GitHub Actions: key from the secret env var, pinned host key, check then apply, JSON artifacts', async () => {
    const temp = await mkdtemp(join(work, 'gh-'));
    const secrets = {
      'secrets.STAGING_SSH_KEY': await readFile(lab().keyFile, 'utf8'),
      'secrets.STAGING_KNOWN_HOSTS': await knownHosts(),
    };
    const pipeline = await githubSteps({ ...secrets, 'runner.temp': temp });
    expect(pipeline.steps.map((s) => s.id)).toEqual(['known-hosts', 'lint', 'check', 'apply']);
    expect(pipeline.env.VSA_SSH_KEY).toContain('PRIVATE KEY');

    const r = await runSteps(pipeline, { RUNNER_TEMP: temp });
    expect(r.failed, r.output).toBeUndefined();
    expect(JSON.parse(await readFile(join(temp, 'vsa-lint.json'), 'utf8'))).toMatchObject({
      ok: true,
      stacks: ['llm-gateway'],
    });
    const check = await events(join(temp, 'vsa-check.jsonl'));
    expect(check[0]).toMatchObject({ type: 'run:start', check: true });
    expect(check.at(-1)).toMatchObject({ type: 'run:end', exitCode: 0 });
    const applied = await runEnd(join(temp, 'vsa-run.jsonl'));
    expect(applied.exitCode).toBe(0);
    expect(applied.recap!.h01).toMatchObject({ failed: 0, unreachable: 0 });
    expect(applied.recap!.h01!.changed).toBeGreaterThan(0);
  });

  it('GitLab CI: key and known_hosts as File variables; a second run changes nothing', async () => {
    const files = await mkdtemp(join(work, 'gl-'));
    await writeFile(join(files, 'known_hosts'), await knownHosts());
    const vars = {
      CI_PROJECT_DIR: work,
      STAGING_SSH_KEY: lab().keyFile,
      STAGING_KNOWN_HOSTS: join(files, 'known_hosts'),
    };
    const pipeline = await gitlabSteps(vars);
    expect(pipeline.env.VSA_HOME).toBe(`${work}/.vsa-home`);

    const r = await runSteps(pipeline, vars);
    expect(r.failed, r.output).toBeUndefined();
    expect((await runEnd(join(work, 'vsa-check.jsonl'))).exitCode).toBe(0);
    const end = await runEnd(join(work, 'vsa-run.jsonl'));
    expect(end.exitCode).toBe(0);
    expect(end.recap!.h01).toMatchObject({ changed: 0, failed: 0 });
  });

  it('a host key that does not match the pinned one fails the job with exit 4 before anything is applied', async () => {
    const temp = await mkdtemp(join(work, 'gh-bad-'));
    const wrongKey = `${lab().host('h01').address} ${(await readFile(`${lab().keyFile}.pub`, 'utf8')).trim()}\n`;
    const secrets = {
      'secrets.STAGING_SSH_KEY': await readFile(lab().keyFile, 'utf8'),
      'secrets.STAGING_KNOWN_HOSTS': wrongKey,
    };
    const r = await runSteps(await githubSteps({ ...secrets, 'runner.temp': temp }), { RUNNER_TEMP: temp });
    expect(r.failed).toBe('check');
    expect(r.codes.check).toBe(4);
    // With --json the reason is in the artifact, where the job's reader looks for it.
    expect(await readFile(join(temp, 'vsa-check.jsonl'), 'utf8')).toContain('HOST KEY CHANGED');
    expect((await runEnd(join(temp, 'vsa-check.jsonl'))).exitCode).toBe(4);
    expect(existsSync(join(temp, 'vsa-run.jsonl'))).toBe(false);
  });
});
