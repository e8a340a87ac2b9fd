import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { UnreachableError } from '../../errors.js';
import { KnownHosts } from '../known-hosts/verifier.js';
import { credentials, type KeyUnlocks } from './auth.js';
import { openClient, type OpenOptions } from './open-client.js';
import type { Hop, SshSettings } from './settings.js';
import { SshConnection } from './ssh-connection.js';

interface JumpLease {
  client: Client;
  release(): void;
}

/**
 * Jump-host connections shared by every target behind them (one per chain), closed when the last
 * target using them closes.
 */
export class JumpPool {
  private readonly clients = new Map<string, { client: Promise<Client>; users: number }>();

  async acquire(chain: readonly Hop[], open: (hop: Hop, sock?: Duplex) => Promise<Client>): Promise<JumpLease> {
    const key = chain.map((j) => `${j.user}@${j.address}:${j.port}`).join(',');
    let entry = this.clients.get(key);
    if (!entry) {
      const client = (async (): Promise<Client> => {
        const hop = chain[chain.length - 1]!;
        const via: JumpLease | undefined = chain.length > 1 ? await this.acquire(chain.slice(0, -1), open) : undefined;
        try {
          return await open(hop, via && (await forward(via.client, hop)));
        } catch (e) {
          via?.release();
          throw e;
        }
      })();
      entry = { client, users: 0 };
      this.clients.set(key, entry);
      client.catch(() => this.clients.delete(key));
    }
    entry.users++;
    const e: { client: Promise<Client>; users: number } = entry;
    const client: Client = await e.client.catch((err: unknown) => {
      e.users--;
      throw err;
    });
    return {
      client,
      release: () => {
        if (--e.users > 0) return;
        this.clients.delete(key);
        client.end();
      },
    };
  }
}

export interface OpenSshOptions {
  jumps?: JumpPool;
  /** Loads a known_hosts file; a connector passes one that reads each file once per run. */
  knownHosts?: (file: string) => Promise<KnownHosts>;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** What the key check before the run learnt: passphrases asked for, keys not to offer. */
  unlocks?: KeyUnlocks;
}

/** Opens the host's one connection, through its jump hosts if it has any. */
export async function openSsh(s: SshSettings, o: OpenSshOptions = {}): Promise<SshConnection> {
  const env = o.env ?? process.env;
  const base: Omit<OpenOptions, 'credentials'> = {
    host: s.name,
    knownHosts: await (o.knownHosts ?? KnownHosts.load)(s.knownHostsFile),
    hostKeyPolicy: s.hostKeyPolicy,
    readyTimeoutMs: s.readyTimeoutMs,
    keepaliveIntervalMs: s.keepaliveIntervalMs,
    keepaliveCountMax: s.keepaliveCountMax,
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const login = async (to: Hop, sock?: Duplex, label?: string) =>
    openClient(to, {
      ...base,
      credentials: await credentials(
        s.name,
        { user: to.user, identities: to.identities, identitiesOnly: s.identitiesOnly, ...(o.unlocks ? { unlocks: o.unlocks } : {}) },
        env,
      ),
      ...(sock ? { sock } : {}),
      ...(label ? { label } : {}),
    });
  const target: Hop = { address: s.address, port: s.port, user: s.user, identities: s.identities };
  if (!s.jumps.length) {
    return new SshConnection(s.name, await login(target), s.user, s.maxSessions, s.readyTimeoutMs, undefined, s.become);
  }
  const jump = await (o.jumps ?? new JumpPool()).acquire(s.jumps, (hop, sock) =>
    login(hop, sock, `jump host ${hop.address}:${hop.port}: `),
  );
  try {
    const sock = await forward(jump.client, target);
    return new SshConnection(s.name, await login(target, sock), s.user, s.maxSessions, s.readyTimeoutMs, jump.release, s.become);
  } catch (e) {
    jump.release();
    throw e instanceof UnreachableError ? e : new UnreachableError(s.name, String(e), { cause: e });
  }
}

function forward(client: Client, to: { address: string; port: number }): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, to.address, to.port, (err, stream) =>
      err ? reject(new Error(`jump host cannot open a tunnel to ${to.address}:${to.port}: ${err.message}`)) : resolve(stream),
    );
  });
}
