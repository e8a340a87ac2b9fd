import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from '../../../runner/util/limiter.js';
import type { LabContext, LabHost, LabPlugin } from './types.js';
import { pidAlive } from '../../../runner/util/pid-alive.js';

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
      const login = await keygen(keyFile, 'vsa-lab');
      await writeFile(`${labDir}/authorized_keys`, `${login}\n`, { mode: 0o600 });
      const lines = await mapLimit(ctx.hosts, 16, async (host) => {
        await mkdir(`${host.dir}/sshd`, { recursive: true });
        const pub = (await keygen(files(host).key, host.name)).split(' ').slice(0, 2).join(' ');
        hostKeys.set(host.name, pub);
        return `${host.address} ${pub}`;
      });
      await writeFile(knownHostsFile, `${lines.join('\n')}\n`);
    },

    async setupHost(host, ctx) {
      const f = files(host);
      await writeFile(f.config, sshdConfig(host, f.key, `${labDir}/authorized_keys`));
      await plugin.start(host, ctx);
    },

    async start(host, ctx) {
      const f = files(host);
      const pid = ctx.spawnIn(host, [SSHD, '-D', '-f', f.config, '-E', f.log]);
      pids.set(host.name, pid);
      try {
        await waitForPort(host.address, 22, 10_000, () => pidAlive(pid));
      } catch (err) {
        // sshd says why it would not start in its log: put that in the error.
        const log = (await readFile(f.log, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
        throw new Error(`${(err as Error).message}: ${log || 'no log'}`);
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
      for (let i = 0; i < 100 && pidAlive(pid); i++) await sleep(20);
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

/**
 * A new ed25519 key pair made by OpenSSH's own ssh-keygen; returns the public key line. (ssh2's
 * generator now and then writes a private key that sshd cannot load: "error in libcrypto".)
 */
export async function keygen(file: string, comment: string): Promise<string> {
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return (await readFile(`${file}.pub`, 'utf8')).trim();
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
    // The lab's key for every login, and a login's own file as on any host (tests add users).
    `AuthorizedKeysFile ${authorizedKeys} .ssh/authorized_keys`,
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

export async function waitForPort(address: string, port: number, ms: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect({ host: address, port, timeout: 500 });
      s.once('connect', () => (s.destroy(), res(true)));
      s.once('error', () => res(false));
      s.once('timeout', () => (s.destroy(), res(false)));
    });
    if (ok) return;
    if (!alive()) throw new Error(`${address}:${port}: the server exited at start`);
    if (Date.now() > deadline) throw new Error(`${address}:${port}: not listening after ${ms} ms`);
    await sleep(25);
  }
}
