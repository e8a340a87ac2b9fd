import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import ssh2 from 'ssh2';
import type { LabContext, LabHost, LabPlugin } from './types.js';

export interface SshdPlugin extends LabPlugin {
  /** Paths of the login key pair, authorized for root on every host. */
  readonly keyFile: string;
  readonly knownHostsFile: string;
  start(host: LabHost, ctx: LabContext): Promise<void>;
  stop(host: LabHost): Promise<void>;
  log(host: LabHost): Promise<string>;
  /** The host's public key line (`ssh-ed25519 AAAA…`). */
  hostKey(host: LabHost): string;
}

const SSHD = '/usr/sbin/sshd';

/** One OpenSSH daemon per host, with its own host key, logging every connection to a file. */
export function sshdPlugin(labDir: string): SshdPlugin {
  const keyFile = `${labDir}/id_ed25519`;
  const knownHostsFile = `${labDir}/known_hosts`;
  const hostKeys = new Map<string, string>();
  const pids = new Map<string, number>();
  const files = (host: LabHost) => ({
    config: `${host.dir}/sshd/sshd_config`,
    key: `${host.dir}/sshd/ssh_host_ed25519_key`,
    log: `${host.dir}/sshd/sshd.log`,
  });

  const plugin: SshdPlugin = {
    name: 'sshd',
    keyFile,
    knownHostsFile,

    async setupGlobal(ctx) {
      await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
      const login = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'vsa-lab' });
      await writeFile(keyFile, login.private, { mode: 0o600 });
      await writeFile(`${keyFile}.pub`, `${login.public}\n`);
      await writeFile(`${labDir}/authorized_keys`, `${login.public}\n`, { mode: 0o600 });
      const lines: string[] = [];
      for (const host of ctx.hosts) {
        const k = ssh2.utils.generateKeyPairSync('ed25519', { comment: host.name });
        const pub = k.public.split(' ').slice(0, 2).join(' ');
        hostKeys.set(host.name, pub);
        await mkdir(`${host.dir}/sshd`, { recursive: true });
        await writeFile(files(host).key, k.private, { mode: 0o600 });
        lines.push(`${host.address} ${pub}`);
      }
      await writeFile(knownHostsFile, `${lines.join('\n')}\n`);
    },

    async setupHost(host, ctx) {
      const f = files(host);
      await writeFile(f.config, sshdConfig(host, f.key, `${labDir}/authorized_keys`));
      await plugin.start(host, ctx);
    },

    async start(host, ctx) {
      const f = files(host);
      // On a busy machine a fresh sshd now and then dies at start (its log says why); a lab
      // must not fail a whole test file for that, so a few starts are tried before giving up.
      for (let attempt = 1; ; attempt++) {
        const pid = ctx.spawnIn(host, [SSHD, '-D', '-f', f.config, '-E', f.log]);
        pids.set(host.name, pid);
        try {
          await waitForPort(host.address, 22, 10_000, () => isAlive(pid));
          return;
        } catch (err) {
          const log = (await readFile(f.log, 'utf8').catch(() => ''))
            .trim()
            .split('\n')
            .slice(-3)
            .join(' | ');
          if (attempt >= 3 || isAlive(pid)) throw new Error(`${(err as Error).message}: ${log || 'no log'}`);
          process.stderr.write(
            `lab: sshd on ${host.name} exited at start (${log || 'no log'}); starting it again\n`,
          );
          await sleep(200 * attempt);
        }
      }
    },

    async stop(host) {
      const pid = pids.get(host.name);
      if (pid === undefined) return;
      pids.delete(host.name);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(20);
    },

    log: (host) => readFile(files(host).log, 'utf8').catch(() => ''),

    hostKey(host) {
      const k = hostKeys.get(host.name);
      if (!k) throw new Error(`${host.name}: no host key`);
      return k;
    },
  };
  return plugin;
}

function sshdConfig(host: LabHost, hostKey: string, authorizedKeys: string): string {
  return [
    `ListenAddress ${host.address}`,
    'Port 22',
    `HostKey ${hostKey}`,
    'PidFile none',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `AuthorizedKeysFile ${authorizedKeys}`,
    // The lab's files live in the work tree, whose owners sshd's StrictModes would reject.
    'StrictModes no',
    'MaxSessions 100',
    'MaxStartups 200:30:400',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'Subsystem sftp internal-sftp',
    // VERBOSE logs "Connection from …" for every TCP connection: tests count them.
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForPort(address: string, port: number, ms: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect({ host: address, port, timeout: 500 });
      s.once('connect', () => (s.destroy(), res(true)));
      s.once('error', () => res(false));
      s.once('timeout', () => (s.destroy(), res(false)));
    });
    if (ok) return;
    if (!alive()) throw new Error(`sshd on ${address} exited at start`);
    if (Date.now() > deadline) throw new Error(`sshd on ${address}:${port} not listening after ${ms} ms`);
    await sleep(25);
  }
}
