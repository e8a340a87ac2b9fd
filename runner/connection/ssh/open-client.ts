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
  return new Promise<Client>((resolve, reject) => {
    const fail = (e: Error) => {
      o.signal?.removeEventListener('abort', onAbort);
      client.removeListener('ready', onReady);
      client.end();
      reject(e);
    };
    const onAbort = () => fail(new UnreachableError(o.host, `${label}connection aborted`));
    const onReady = () => {
      o.signal?.removeEventListener('abort', onAbort);
      client.removeListener('error', onError);
      resolve(client);
    };
    const onError = (e: Error & { level?: string; code?: string }) =>
      fail(keyError ?? new UnreachableError(o.host, label + describe(e, to, o), { cause: e }));
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    client.once('ready', onReady).once('error', onError);
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

function describe(e: Error & { level?: string; code?: string }, to: Endpoint, o: OpenOptions): string {
  const where = `${to.address}:${to.port}`;
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
      return `cannot resolve ${to.address}`;
    case 'ECONNRESET':
      return `connection reset by ${where}`;
  }
  if (e.level === 'client-timeout') return `no SSH handshake with ${where} within ${o.readyTimeoutMs} ms`;
  if (e.level === 'client-authentication') {
    return `authentication as ${to.user} at ${where} failed (tried ${o.credentials.tried.join(', ')})`;
  }
  return `SSH connection to ${where} failed: ${e.message}`;
}
