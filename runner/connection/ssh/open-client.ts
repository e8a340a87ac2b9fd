import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client, ServerHostKeyAlgorithm } from 'ssh2';
import { HostKeyError, UnreachableError } from '../../errors.js';
import { algorithmsFor } from '../known-hosts/parse.js';
import { verifyHostKey, type HostKeyPolicy, type KnownHosts } from '../known-hosts/verifier.js';
import type { Credentials } from './auth.js';

/** One SSH server to log in to: the target host or a jump host on the way. */
export interface Endpoint {
  address: string;
  port: number;
  user: string;
}

export interface OpenOptions {
  /** The inventory host this connection serves (errors name it). */
  host: string;
  /** Prefix for messages about a jump host, e.g. `jump host 10.0.0.1:22: `. */
  label?: string;
  credentials: Credentials;
  knownHosts: KnownHosts;
  hostKeyPolicy: HostKeyPolicy;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** An already open stream to the server (a jump host's forwarded channel). */
  sock?: Duplex;
  signal?: AbortSignal;
}

const SUPPORTED_HOST_KEYS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Connects, checks the host key against known_hosts and logs in; every failure names its cause. */
export function openClient(to: Endpoint, o: OpenOptions): Promise<Client> {
  const client = new ssh2.Client();
  const label = o.label ?? '';
  let keyError: HostKeyError | undefined;
  let connected = false;
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      client.removeListener('ready', onReady);
      client.end();
      reject(e);
    };
    const onAbort = () => fail(new UnreachableError(o.host, `${label}connection aborted`));
    const onReady = () => {
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      client.removeListener('error', onError);
      resolve(client);
    };
    const onError = (e: SshError) => {
      const why = describe(e, { to, o, connected, ident: serverIdent(client) });
      fail(keyError ?? new UnreachableError(o.host, label + why, { cause: e }));
    };
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    // `on`, not `once`: after a timeout ssh2 reports the socket's end as a second error ("Connection
    // lost before handshake"), and an error event nobody listens to would crash the whole run.
    client.once('ready', onReady).on('error', onError);
    client.once('connect', () => (connected = true));
    client.connect({
      host: to.address,
      port: to.port,
      username: to.user,
      ...(o.sock ? { sock: o.sock } : {}),
      authHandler: o.credentials.methods,
      readyTimeout: o.readyTimeoutMs,
      keepaliveInterval: o.keepaliveIntervalMs,
      keepaliveCountMax: o.keepaliveCountMax,
      algorithms: { serverHostKey: preferKnown(o.knownHosts, to) },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifyHostKey(o.knownHosts, { name: o.host, ...to }, key, o.hostKeyPolicy).then(
          () => verify(true),
          (e: unknown) => {
            keyError =
              e instanceof HostKeyError ? e : new HostKeyError(o.host, `${label}cannot check the host key: ${String(e)}`);
            verify(false);
          },
        );
      },
    });
    // Nagle's algorithm holds each small packet until the previous one is acknowledged, and the
    // server delays that ACK (40 ms on Linux): the login and every command are small packets.
    client.setNoDelay(true);
  });
}

/** Like OpenSSH: ask first for the key types known_hosts already has for this host. */
function preferKnown(known: KnownHosts, to: Endpoint) {
  const types = known.forHost(to.address, to.port).map((e) => e.keyType);
  const first = [...new Set(types.flatMap(algorithmsFor))].filter((a): a is ServerHostKeyAlgorithm =>
    SUPPORTED_HOST_KEYS.includes(a as ServerHostKeyAlgorithm),
  );
  return first.length ? [...first, ...SUPPORTED_HOST_KEYS.filter((a) => !first.includes(a))] : SUPPORTED_HOST_KEYS;
}

type SshError = Error & { level?: string; code?: string };

interface Attempt {
  to: Endpoint;
  o: OpenOptions;
  /** The TCP connection (or the jump host's tunnel) was up. */
  connected: boolean;
  /** The server's software name from its ident line, once it sent one. */
  ident: string | undefined;
}

/**
 * The software part of the server's ident line (`SSH-2.0-OpenSSH_9.2p1` → `OpenSSH_9.2p1`). ssh2
 * emits no event for it and keeps it only in this field; a timeout with it set means the server
 * answered and then stalled.
 */
function serverIdent(client: Client): string | undefined {
  const ident = (client as unknown as { _remoteVer?: unknown })._remoteVer;
  return typeof ident === 'string' ? ident : undefined;
}

function describe(e: SshError, a: Attempt): string {
  const where = `${a.to.address}:${a.to.port}`;
  const hungUpBeforeBanner = `${where} closed the connection before sending an SSH banner (not an SSH server, or sshd refused it, e.g. MaxStartups)`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (no SSH server listening)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return `cannot reach ${where} (${e.code})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${a.to.address}`;
    case 'ECONNRESET':
      // A hang-up before the banner is a reset when our ident was still unread on its side.
      return a.connected && !a.ident ? hungUpBeforeBanner : `connection reset by ${where}`;
  }
  const ms = a.o.readyTimeoutMs;
  if (e.level === 'client-timeout') {
    if (a.connected && !a.ident) {
      return `${where} accepted the connection but sent no SSH banner within ${ms} ms (not an SSH server, or one too busy to answer)`;
    }
    return `no SSH handshake with ${where} within ${ms} ms${a.ident ? ` (it sent its SSH banner, "${a.ident}", then nothing)` : ''}`;
  }
  if (e.level === 'protocol' && !a.ident && /before handshake/.test(e.message)) return hungUpBeforeBanner;
  if (e.level === 'client-authentication') {
    return `authentication as ${a.to.user} at ${where} failed (tried ${a.o.credentials.tried.join(', ')})`;
  }
  return `SSH connection to ${where} failed: ${e.message}`;
}
