import type { InventoryHost } from '../inventory/types.js';
import { becomeSpec, type BecomeSpec } from './become.js';
import { LocalConnection } from './local.js';
import { createLimiter } from '../util/limiter.js';
import { KnownHosts } from './known-hosts/verifier.js';
import type { KeyUnlocks } from './ssh/auth.js';
import { JumpPool, openSsh, type OpenSshOptions } from './ssh/open-ssh.js';
import { sshSettings, type SshDefaults, type SshSettings } from './ssh/settings.js';
import type { SshConfig } from './ssh/ssh-config.js';
import type { Connection, Connector } from './types.js';

export interface ConnectOptions extends SshDefaults {
  /** SSH handshakes in flight at once across all hosts (default 20). */
  maxConcurrentStarts?: number;
  env?: NodeJS.ProcessEnv;
  /** The user's `~/.ssh/config`, below the inventory in precedence. */
  sshConfig?: SshConfig;
  unlocks?: KeyUnlocks;
}

export interface ConnectDeps {
  openSsh(settings: SshSettings, opts: OpenSshOptions & { jumps: JumpPool }): Promise<Connection>;
  openLocal(host: InventoryHost, become: BecomeSpec): Connection;
}

const realDeps: ConnectDeps = {
  openSsh,
  openLocal: (host, become) => new LocalConnection(host.name, become),
};

/**
 * The run's connector: `local` hosts get the control machine's shell, every other host one SSH
 * connection, with at most `maxConcurrentStarts` handshakes at once so a fleet does not storm a
 * bastion or its sshd's MaxStartups.
 */
export function createConnector(opts: ConnectOptions = {}, deps: ConnectDeps = realDeps): Connector {
  const starts = createLimiter(opts.maxConcurrentStarts ?? 20);
  const jumps = new JumpPool();
  // Every host of a run checks its key against the same file: read and parse it once.
  const loaded = new Map<string, Promise<KnownHosts>>();
  const knownHosts = (file: string) => {
    if (!loaded.has(file)) loaded.set(file, KnownHosts.load(file));
    return loaded.get(file)!;
  };
  return async (host, signal) => {
    if (host.connection === 'local') return deps.openLocal(host, becomeSpec(host, opts.becomePassword));
    const settings = sshSettings(host, opts, opts.env, opts.sshConfig);
    return starts.run(() =>
      deps.openSsh(settings, {
        jumps,
        knownHosts,
        ...(signal ? { signal } : {}),
        ...(opts.env ? { env: opts.env } : {}),
        ...(opts.unlocks ? { unlocks: opts.unlocks } : {}),
      }),
    );
  };
}
