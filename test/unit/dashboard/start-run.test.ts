import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliLauncher, runOffer, type LaunchRequest } from '../../../dashboard/server/index.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('playbooks and starting a run', () => {
  it('lists the playbooks with a JSON Schema of their params', async () => {
    h = await startHarness();
    const { cookie } = await h.login();
    const res = (await h.app.inject({ url: '/api/playbooks', headers: { cookie } })).json();
    const cert = res.playbooks.find((p: { name: string }) => p.name === 'cert-status');
    expect(cert.schema).toMatchObject({ type: 'object', properties: { domain: { type: 'string' } } });
    expect(res.canStart).toBe(false);
  });

  it('validates params with the playbook schema, then launches and audits', async () => {
    const launched: LaunchRequest[] = [];
    h = await startHarness({ launcher: { launch: async (r) => (launched.push(r), { runId: 'new-run' }) } });
    const { cookie, csrf } = await h.login();
    const post = (payload: object, headers: Record<string, string> = { cookie, 'x-csrf-token': csrf }) =>
      h!.app.inject({ method: 'POST', url: '/api/runs', headers, payload });
    const bad = await post({ playbook: 'cert-status', params: { domain: 'not a domain!' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/domain/);
    expect((await post({ playbook: 'no-such' })).statusCode).toBe(400);
    // A rule across fields, known only to the playbook's whole schema.
    const partial = await post({ playbook: 'provision-site', params: { domain: 'shop.example.com', port: 8080 } });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error).toMatch(/container: is required unless externalPort is given/);
    expect((await post({ playbook: '../etc/passwd' })).statusCode).toBe(400);
    expect((await post({ playbook: 'cert-status', limit: '--inventory=/x' })).statusCode).toBe(400);
    expect((await post({ playbook: 'cert-status' }, { cookie })).statusCode).toBe(403);
    expect(launched).toEqual([]);

    const ok = await post({ playbook: 'cert-status', params: { domain: 'shop.example.com' }, limit: 'web1' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ runId: 'new-run' });
    expect(launched).toEqual([
      { playbook: 'cert-status', params: { domain: 'shop.example.com' }, limit: 'web1', check: false, diff: true, actor: 'dashboard:alice' },
    ]);
    expect(h.store.audit.list({ action: 'dashboard:run' })[0]).toMatchObject({ runId: 'new-run', target: 'cert-status' });
  });

  it('answers 503 when the dashboard has no launcher', async () => {
    h = await startHarness();
    const { cookie, csrf } = await h.login();
    const res = await h.app.inject({ method: 'POST', url: '/api/runs', headers: { cookie, 'x-csrf-token': csrf }, payload: { playbook: 'cert-status' } });
    expect(res.statusCode).toBe(503);
  });
});

describe('what a run started here may use', () => {
  const launched: LaunchRequest[] = [];
  const launcher = { launch: async (r: LaunchRequest) => (launched.push(r), { runId: 'new-run' }) };
  let stacks: string;
  let auth: { cookie: string; csrf: string } | undefined;
  const start = async (payload: object) => {
    auth ??= await h!.login();
    return h!.app.inject({ method: 'POST', url: '/api/runs', headers: { cookie: auth.cookie, 'x-csrf-token': auth.csrf }, payload });
  };
  const withStacks = async (playbooks?: string[]) => {
    stacks = mkdtempSync(join(tmpdir(), 'vsa-offered-stacks-'));
    dirs.push(stacks);
    mkdirSync(join(stacks, 'app'));
    h = await startHarness({ launcher, offer: runOffer(playbooks, stacks) });
    auth = undefined;
  };
  afterEach(() => {
    launched.splice(0);
    auth = undefined;
  });

  it('starts only the playbooks offered, by name, checked on the body before anything loads', async () => {
    await withStacks(['cert-status', 'stack-up']);
    const { cookie } = await h!.login();
    const list = (await h!.app.inject({ url: '/api/playbooks', headers: { cookie } })).json();
    expect(list.playbooks.map((p: { name: string }) => p.name)).toEqual(['cert-status', 'stack-up']);
    for (const playbook of ['demo', './playbooks/demo.ts', '/tmp/evil.ts', 'stack-up.ts', 'Stack-Up']) {
      const res = await start({ playbook });
      expect({ playbook, status: res.statusCode }).toEqual({ playbook, status: 400 });
      expect(res.json().error).toMatch(/playbook: must be one of the playbooks this dashboard offers: cert-status, stack-up/);
    }
    expect(launched).toEqual([]);
  });

  it('takes stacks only from its stacks directory: a request may not set dir', async () => {
    await withStacks();
    const res = await start({ playbook: 'stack-up', params: { name: 'app', dir: '/etc' }, check: true, diff: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/invalid parameters for stack-up: .*dir/);
    for (const name of ['../inventory', '..', 'app/../..', '/etc']) expect((await start({ playbook: 'stack-up', params: { name } })).statusCode).toBe(400);
    expect((await start({ playbook: 'stack-new', params: { name: 'x', dir: '/root' } })).statusCode).toBe(400);
    expect(launched).toEqual([]);

    const ok = await start({ playbook: 'stack-up', params: { name: 'app' }, check: true });
    expect(ok.statusCode).toBe(201);
    expect(launched[0]!.params).toEqual({ name: 'app', dir: realpathSync(stacks) });
  });

  it('offers no stack playbook without a stacks directory, and the form never shows dir', async () => {
    h = await startHarness({ launcher });
    const { cookie } = await h.login();
    const list = (await h.app.inject({ url: '/api/playbooks', headers: { cookie } })).json();
    const stackUp = list.playbooks.find((p: { name: string }) => p.name === 'stack-up');
    expect(stackUp).toMatchObject({ schema: null, error: expect.stringMatching(/needs a stacks directory/) });
    expect(stackUp.params.map((p: { name: string }) => p.name)).not.toContain('dir');
    const res = await start({ playbook: 'stack-up', params: { name: 'app' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/--stacks-dir/);
    expect(launched).toEqual([]);

    await h.close();
    await withStacks();
    const offered = (await h.app.inject({ url: '/api/playbooks', headers: { cookie: (await h.login()).cookie } })).json();
    const schema = offered.playbooks.find((p: { name: string }) => p.name === 'stack-up').schema;
    expect(Object.keys(schema.properties)).toEqual(['name', 'tenant', 'timeout', 'skipLint', 'rollback']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('refuses a configuration naming an unknown playbook or a stacks directory that is not one', () => {
    expect(() => runOffer(['cert-status', 'nope'])).toThrow(/--playbooks: no built-in playbook nope/);
    expect(() => runOffer(undefined, '/no/such/dir')).toThrow(/--stacks-dir: \/no\/such\/dir is not a directory/);
  });
});

describe('cliLauncher', () => {
  const fakeCli = (script: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'vsa-fake-cli-'));
    dirs.push(dir);
    const file = join(dir, 'cli.mjs');
    writeFileSync(file, script);
    return { dir, command: [process.execPath, file] };
  };
  const req: LaunchRequest = { playbook: 'cert-status', params: { domain: 'a.example' }, check: true, diff: false, actor: 'dashboard:alice' };

  it('runs the CLI with the params in a private file and resolves with the run id of run:start', async () => {
    const { dir, command } = fakeCli(`
      import { readFileSync, statSync, writeFileSync } from 'node:fs';
      const args = process.argv.slice(2);
      const file = args[args.indexOf('-e') + 1].slice(1);
      writeFileSync(process.env.OUT, JSON.stringify({ args, params: JSON.parse(readFileSync(file, 'utf8')),
        mode: (statSync(file).mode & 0o777).toString(8), origin: process.env.VSA_ORIGIN, actor: process.env.VSA_ACTOR }));
      console.log(JSON.stringify({ type: 'run:start', runId: 'r-42' }));
    `);
    const out = join(dir, 'out.json');
    let onExit!: (code: number | null) => void;
    const exited = new Promise<number | null>((resolve) => (onExit = resolve));
    const launcher = cliLauncher({ command, inventory: 'inv.yml', env: { OUT: out }, onExit: (_id, code) => onExit(code) });
    expect(await launcher.launch(req)).toEqual({ runId: 'r-42' });
    expect(await exited).toBe(0);
    const seen = JSON.parse(readFileSync(out, 'utf8'));
    expect(seen.args).toEqual(['run', 'cert-status', '-e', expect.stringMatching(/^@.*params\.json$/), '--json', '-i', 'inv.yml', '--check']);
    expect(seen).toMatchObject({ params: { domain: 'a.example' }, mode: '600', origin: 'dashboard', actor: 'dashboard:alice' });
  });

  it('rejects with the CLI error when the run never starts', async () => {
    const { command } = fakeCli(`console.error('vsa: unknown playbook'); process.exit(5);`);
    await expect(cliLauncher({ command }).launch(req)).rejects.toMatchObject({ statusCode: 422, message: expect.stringMatching(/unknown playbook/) });
  });
});
