import type { Connection, Connector } from '../runner/connection/types.js';
import { EventBus } from '../runner/events/bus.js';
import type { Sink } from '../runner/events/types.js';
import { runPlay } from '../runner/executor/run-play.js';
import type { InventoryHost } from '../runner/inventory/types.js';
import { loadPlaybook } from '../runner/playbook/load.js';
import { parseExtraVars } from '../runner/playbook/extra-vars.js';
import { checkParamNames, validateParams } from '../runner/playbook/params.js';
import { chooseReporterKind, createReporter, useColor } from '../runner/reporters/index.js';
import type { RunFlags } from './run-flags.js';
import { InputWarnings } from './input-warnings.js';
import { onInterrupt } from './interrupt.js';
import { fillSecretParams } from './secret-params.js';
import { detectActor, detectOrigin } from './origin.js';
import { inventorySources, resolveHosts } from './resolve-hosts.js';
import { loadAnsibleConfig } from './ansible-cfg/load.js';
import { vaultSecrets } from './vault-secrets.js';
import { becomePassword } from './become-password.js';
import { applyAnsibleConfig } from './ansible-cfg/apply.js';
import { unsupportedAnsibleVars } from '../runner/inventory/unsupported-vars.js';
import { dirname } from 'node:path';
import { domainHosts } from '../site/domain-hosts.js';
import { openRecording } from './recording.js';
import { createConnector } from '../runner/connection/connect.js';
import { acquireHostLock } from '../runner/connection/host-lock.js';
import { checkKeyFiles } from '../runner/connection/ssh/auth.js';
import { SshConfig } from '../runner/connection/ssh/ssh-config.js';
import { prompt } from './read-password.js';
import { sharedMachineWarnings } from '../runner/executor/same-machine.js';
import { randomUUID } from 'node:crypto';
import { hostContext } from '../runner/executor/run-host.js';
import { selectTasks } from '../runner/executor/select-tasks.js';
import { buildTasks } from '../runner/playbook/build-tasks.js';
import { renderListing, type ListingKind } from './play-listing.js';
import * as modules from '../modules/index.js';
import type { AnyModule } from '../runner/module/types.js';

const shippedModules = new Map<string, AnyModule>(Object.values(modules).map((m: AnyModule) => [m.name, m]));

/**
 * `vsa run`: everything is validated (playbook, params, inventory, limit) before any connection
 * opens; then the play runs with the reporter, the store and the dashboard push as sinks.
 */
export async function runPlaybookCommand(ref: string, flags: RunFlags, preset: Record<string, unknown> = {}): Promise<number> {
  const playbook = await loadPlaybook(ref);
  const extra = await parseExtraVars(flags.extraVars);
  checkParamNames(playbook, { ...extra.vars, ...preset }, extra.onCommandLine);
  const vars = await fillSecretParams(playbook, { ...extra.vars, ...preset }, process);
  const params = validateParams(playbook, vars);
  if (flags.syntaxCheck) {
    buildTasks(playbook, params, playbook.file);
    process.stdout.write(`playbook: ${playbook.file}\n`);
    return 0;
  }
  const warnings = new InputWarnings(flags.strict);
  const ansibleCfg = loadAnsibleConfig(warnings.warn);
  const vault = await vaultSecrets(flags, ansibleCfg, process);
  const resolved = await resolveHosts(playbook.hosts, { ...flags, playbookDir: dirname(playbook.file) }, vault, ansibleCfg.inventory);
  let hosts = resolved.hosts;
  applyAnsibleConfig(hosts, ansibleCfg);
  for (const w of unsupportedAnsibleVars(hosts)) warnings.warn(w);
  const listing = listingKinds(flags);
  if (listing.size) {
    const { tasks } = buildTasks(playbook, params, playbook.file, hosts.map((h) => hostContext(h, vars)));
    process.stdout.write(renderListing({ playbook, hosts, tasks: selectTasks(tasks, flags) }, listing));
    return 0;
  }
  const sshConfig = hosts.some((h) => h.connection !== 'local') ? SshConfig.load(undefined, warnings.warn) : SshConfig.none;
  const unlocks = await checkKeyFiles(hosts, {
    config: sshConfig,
    warn: warnings.warn,
    ...(process.stdin.isTTY ? { ask: (file: string) => prompt(process.stdin, process.stderr, `Passphrase for ${file}: `) } : {}),
  });
  const runBecomePassword = await becomePassword(flags, process);
  const baseConnect = createConnector({
    ...(runBecomePassword === undefined ? {} : { becomePassword: runBecomePassword }),
    hostKeyPolicy: flags.hostKey,
    knownHostsFile: flags.knownHosts,
    ...(flags.connectTimeout ? { readyTimeoutMs: flags.connectTimeout * 1000 } : {}),
    maxConcurrentStarts: flags.maxHandshakes,
    ansibleCfg: { hostKeyChecking: ansibleCfg.hostKeyChecking, timeoutSec: ansibleCfg.timeout },
    sshConfig,
    unlocks,
  });
  if (playbook.perDomain && !flags.limit && typeof params.domain === 'string') {
    const source = inventorySources(flags.inventory, process.env, ansibleCfg.inventory).join(', ');
    const all = hosts.length;
    hosts = await domainHosts(hosts, { domain: params.domain, allowNew: playbook.perDomain.allowNew, source }, baseConnect);
    if (hosts.length < all)
      process.stderr.write(`vsa: ${params.domain} is served by ${hosts.map((h) => h.name).join(', ')}: running there only\n`);
  }
  // Not an input vsa ignores, only an order it imposes: a note even under --strict.
  for (const w of sharedMachineWarnings(hosts)) process.stderr.write(`vsa: warning: ${w}\n`);
  warnings.settle();

  const isTTY = Boolean(process.stdout.isTTY);
  const kind = chooseReporterKind({ json: flags.json, isTTY, env: process.env });
  const reporter = await createReporter(kind, {
    out: process.stdout,
    err: process.stderr,
    color: useColor({ color: flags.color, isTTY, env: process.env }),
    diff: flags.diff,
    verbose: flags.verbose,
  });
  // The store's heartbeat fires only after run:start, when `interrupt` below is set.
  // Become passwords are secrets wherever they came from (a plain inventory value included).
  const becomeSecrets = [runBecomePassword, ...hosts.map((h) => h.becomePassword)].filter((p): p is string => Boolean(p));
  const recording = await openRecording(playbook, params, [...resolved.secrets, ...becomeSecrets], (by) => interrupt.cancelledBy(by));
  const sinks: Sink[] = [reporter, ...recording.sinks];
  const bus = new EventBus(sinks, recording.redact, (err) =>
    process.stderr.write(`vsa: warning: an output sink failed: ${(err as Error).message}\n`),
  );

  const open = new Set<Connection>();
  const runId = randomUUID();
  const connect: Connector = async (host: InventoryHost, signal) => {
    const c = await baseConnect(host, signal);
    open.add(c);
    return c;
  };
  const interrupt = onInterrupt(
    (msg) => process.stderr.write(`\nvsa: ${msg}\n`),
    // Killing the running commands keeps the connections, so every host's lock is still released.
    () => open.forEach((c) => void (c.cancel ? c.cancel() : c.close())),
  );
  try {
    const end = await runPlay({
      playbook,
      source: playbook.file,
      params,
      hosts,
      connect,
      runId,
      // A check run only reads, so it neither takes nor waits for a host's lock.
      lock: flags.check
        ? undefined
        : (conn) =>
            acquireHostLock(conn, { runId }, {
              wait: flags.waitLock !== undefined,
              timeoutMs: (flags.waitLock ?? 0) * 1000,
              warn: (msg) => process.stderr.write(`vsa: warning: ${msg}\n`),
            }),
      // A handler notified by an earlier run of another playbook runs with vsa's own module.
      resolveModule: (name) => shippedModules.get(name),
      bus,
      options: {
        forks: flags.forks ?? ansibleCfg.forks ?? 20,
        check: flags.check,
        diff: flags.diff,
        tags: flags.tags,
        skipTags: flags.skipTags,
        startAtTask: flags.startAtTask,
        extraVars: vars,
        signal: interrupt.signal,
      },
      actor: detectActor(),
      origin: detectOrigin(),
    });
    return end.exitCode;
  } finally {
    interrupt.dispose();
    await bus.close();
    recording.close();
  }
}

function listingKinds(flags: RunFlags): Set<ListingKind> {
  const asked: [boolean, ListingKind][] = [
    [flags.listHosts, 'hosts'],
    [flags.listTasks, 'tasks'],
    [flags.listTags, 'tags'],
  ];
  return new Set(asked.filter(([on]) => on).map(([, kind]) => kind));
}
