import type { Command } from 'commander';
import { UsageError } from '../../runner/errors.js';
import { collectCsv } from '../list-option.js';
import { detectActor } from '../origin.js';
import type { Cli } from '../program.js';

const PASSWORD_ENV = 'VSA_DASHBOARD_PASSWORD';

interface ServeFlags {
  port: string;
  host: string;
  inventory?: string;
  webRoot?: string;
  playbooks?: string[];
  stacksDir?: string;
  secureCookie: boolean;
  trustProxy: boolean;
}

interface TokenFlags {
  scope: string;
  name: string;
  hostsFrom?: string;
  hosts?: string[];
  anyHost: boolean;
}

/** The host patterns an ingest token is made for: exactly one of --hosts-from, --hosts and --any-host. */
async function tokenHosts(flags: TokenFlags): Promise<string[] | null> {
  const given = [flags.hostsFrom !== undefined, flags.hosts !== undefined, flags.anyHost].filter(Boolean).length;
  if (flags.scope !== 'ingest') {
    if (given) throw new UsageError('--hosts-from, --hosts and --any-host are for ingest tokens: a read token reads everything');
    return null;
  }
  if (given !== 1)
    throw new UsageError('an ingest token names the hosts it may report on: give one of --hosts-from INVENTORY, --hosts PATTERNS or --any-host');
  if (flags.anyHost) return null;
  if (flags.hosts) return flags.hosts;
  const { loadInventory } = await import('../../runner/inventory/index.js');
  const names = [...(await loadInventory([flags.hostsFrom!])).hosts.keys()];
  if (names.length === 0) throw new UsageError(`--hosts-from ${flags.hostsFrom}: the inventory has no hosts`);
  return names;
}

const hostsNote = (hosts: string[] | null, scope: string) =>
  scope !== 'ingest' ? '' : hosts === null ? ', any host' : `, hosts ${hosts.length > 8 ? `${hosts.slice(0, 8).join(',')},… (${hosts.length})` : hosts.join(',')}`;

/** The store with the dashboard's tables, under the data dir; imported lazily like every store use. */
async function openAccounts() {
  const [{ dataDir }, { openDashboardStore, createContext }] = await Promise.all([
    import('../../runner/store/index.js'),
    import('../../dashboard/server/index.js'),
  ]);
  return createContext(openDashboardStore(dataDir()));
}

async function withAccounts(fn: (ctx: Awaited<ReturnType<typeof openAccounts>>) => Promise<void> | void): Promise<number> {
  const ctx = await openAccounts();
  try {
    await fn(ctx);
  } finally {
    ctx.store.close();
  }
  return 0;
}

/** The password from --password-file, $VSA_DASHBOARD_PASSWORD or a prompt without echo, never argv. */
async function password(file: string | undefined): Promise<string> {
  const { readPassword } = await import('../read-password.js');
  return readPassword({ file, env: process.env, envName: PASSWORD_ENV, stdin: process.stdin, stderr: process.stderr });
}

export function register(program: Command, cli: Cli): void {
  const dashboard = program
    .command('dashboard')
    .description('Serve the web dashboard (API + app) on the run store; manage its users and tokens')
    .option('-p, --port <port>', 'port to listen on', '8700')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('-i, --inventory <file>', 'inventory for runs started from the dashboard (default $VSA_INVENTORY)')
    .option('--web-root <dir>', 'the built web app (default dashboard/web/dist)')
    .option('--playbooks <names>', 'the built-in playbooks runs started here may use, comma-separated (default all)', collectCsv)
    .option('--stacks-dir <dir>', 'the only directory stack-up and stack-new started here may take stacks from (default none)')
    .option('--secure-cookie', 'mark the session cookie Secure (the dashboard is reached over HTTPS)', false)
    .option('--trust-proxy', 'trust X-Forwarded-For from a reverse proxy in front', false)
    .addHelpText(
      'after',
      `
Examples:
  vsa dashboard user add alice --role operator
  vsa dashboard token create --scope ingest --name ci-runner
  vsa dashboard --port 8700 --host 127.0.0.1 -i inventory/prod.yml --playbooks cert-status,stack-up --stacks-dir stacks`,
    )
    .action(cli.action(async (_ctx, flags: ServeFlags) => {
      const { serveDashboard } = await import('../../dashboard/server/serve.js');
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0-65535, got "${flags.port}"`);
      await serveDashboard({ ...flags, port, inventory: flags.inventory ?? process.env.VSA_INVENTORY });
      return 0;
    }));

  const user = dashboard.command('user').description('Dashboard users (bcrypt passwords)');
  user
    .command('add')
    .description('Add a user, or set the password (and role) of an existing one (ends its sessions)')
    .argument('<name>')
    .option('--password-file <file>', `read the password from the first line of a file (or set ${PASSWORD_ENV})`)
    .option('--role <role>', 'viewer (read), operator (also start runs) or admin (also settings); a new user is a viewer by default')
    .action(cli.action((_ctx, name: string, flags: { passwordFile?: string; role?: string }) =>
      withAccounts(async (ctx) => {
        const u = await ctx.users.add(name, await password(flags.passwordFile), flags.role, detectActor());
        process.stdout.write(`user ${u.name} saved (${u.role})\n`);
      }),
    ));
  user
    .command('role')
    .description("Change a user's role; it holds from their next request")
    .argument('<name>')
    .argument('<role>', 'viewer, operator or admin')
    .action(cli.action((_ctx, name: string, role: string) =>
      withAccounts((ctx) => {
        const changed = ctx.users.setRole(name, role, detectActor());
        if (!changed) throw new UsageError(`no user "${name}"`);
        process.stdout.write(`user ${name}: ${changed.before} -> ${changed.user.role}\n`);
      }),
    ));
  user
    .command('list')
    .description('List users and their roles')
    .action(cli.action(() => withAccounts((ctx) => void process.stdout.write(ctx.users.list().map((u) => `${u.name}\t${u.role}\n`).join('')))));
  user
    .command('remove')
    .description('Remove a user and end their sessions')
    .argument('<name>')
    .action(cli.action((_ctx, name: string) =>
      withAccounts((ctx) => {
        if (!ctx.users.remove(name, detectActor())) throw new UsageError(`no user "${name}"`);
        process.stdout.write(`user ${name} removed\n`);
      }),
    ));

  const token = dashboard.command('token').description('API tokens: ingest (runners push events) or read (API, /metrics)');
  token
    .command('create')
    .description('Create a token; it is printed once and stored only as a hash')
    .requiredOption('--scope <scope>', 'ingest or read')
    .option('--name <name>', 'a label to find and revoke it by', 'token')
    .option('--hosts-from <inventory>', 'ingest: it may report on the hosts this inventory has now')
    .option('--hosts <patterns>', 'ingest: the hosts it may report on, comma-separated names, globs or ~regexes (as --limit)', collectCsv)
    .option('--any-host', 'ingest: it may report on any host, creating hosts the dashboard never saw', false)
    .addHelpText(
      'after',
      `
An ingest token names the hosts it may report on: a batch naming any other host is refused (403)
and nothing of it is stored, so a leaked CI token cannot invent hosts or runs on production ones.

Examples:
  vsa dashboard token create --scope ingest --name ci-staging --hosts-from inventory/staging.yml
  vsa dashboard token create --scope ingest --name cron-web --hosts 'web*,lb1'
  vsa dashboard token create --scope read --name grafana`,
    )
    .action(cli.action((_ctx, flags: TokenFlags) =>
      withAccounts(async (ctx) => {
        const { tokenScopes } = await import('../../dashboard/server/index.js');
        if (!tokenScopes.includes(flags.scope as never)) throw new UsageError(`--scope: expected ${tokenScopes.join(' or ')}, got "${flags.scope}"`);
        const hosts = await tokenHosts(flags);
        const { token: secret, info } = ctx.tokens.create(flags.scope as 'ingest' | 'read', flags.name, detectActor(), hosts);
        process.stderr.write(`token ${info.id} (${info.name}, scope ${info.scope}${hostsNote(info.hosts, info.scope)}); it is not shown again:\n`);
        process.stdout.write(`${secret}\n`);
      }),
    ));
  token
    .command('list')
    .description('List tokens (never their values)')
    .action(cli.action(() =>
      withAccounts((ctx) => {
        const lines = ctx.tokens
          .list()
          .map((t) => `${t.id}\t${t.name}\t${t.scope}${hostsNote(t.hosts, t.scope)}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}\tlast used ${t.lastUsedAt ?? 'never'}`);
        process.stdout.write(lines.map((l) => `${l}\n`).join(''));
      }),
    ));
  token
    .command('revoke')
    .description('Revoke a token by id or name')
    .argument('<token>', 'the id or name `token list` shows')
    .action(cli.action((_ctx, ref: string) =>
      withAccounts((ctx) => {
        const n = ctx.tokens.revoke(ref, detectActor());
        if (n === 0) throw new UsageError(`no active token "${ref}"`);
        process.stdout.write(`revoked ${n} token(s)\n`);
      }),
    ));
}
