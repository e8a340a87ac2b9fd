import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HostKeyError } from '../../errors.js';
import { fingerprint, hostFieldMatches, keyTypeOf, knownHostName, parseKnownHosts, type KnownHostEntry } from './parse.js';

/** `strict`: only known keys. `accept-new`: record a host seen for the first time; a changed key is refused either way. */
export type HostKeyPolicy = 'strict' | 'accept-new';

export type HostKeyCheck =
  | { status: 'known' }
  | { status: 'unknown' }
  | { status: 'revoked' }
  | { status: 'changed'; known: KnownHostEntry[] };

/** The entries of one known_hosts file that name one host. */
export class KnownHosts {
  private constructor(
    readonly file: string,
    readonly entries: KnownHostEntry[],
  ) {}

  static async load(file: string): Promise<KnownHosts> {
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    return new KnownHosts(file, parseKnownHosts(text));
  }

  forHost(address: string, port: number): KnownHostEntry[] {
    const name = knownHostName(address, port);
    return this.entries.filter((e) => e.marker !== '@cert-authority' && hostFieldMatches(e.hosts, name));
  }

  check(address: string, port: number, keyBlob: Buffer): HostKeyCheck {
    const b64 = keyBlob.toString('base64');
    const entries = this.forHost(address, port);
    if (entries.some((e) => e.marker === '@revoked' && e.key === b64)) return { status: 'revoked' };
    const known = entries.filter((e) => !e.marker);
    if (known.some((e) => e.key === b64)) return { status: 'known' };
    return known.length ? { status: 'changed', known } : { status: 'unknown' };
  }

  /** Appends the key (one O_APPEND write, so parallel connections do not interleave lines). */
  async record(address: string, port: number, keyBlob: Buffer): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const line = `${knownHostName(address, port)} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`;
    await appendFile(this.file, line, { mode: 0o600 });
    this.entries.push(...parseKnownHosts(line));
  }
}

/**
 * Decides on the key a server offers: resolves when it may be used (recording it under
 * `accept-new`), throws HostKeyError naming the host and the fingerprints otherwise.
 */
export async function verifyHostKey(
  known: KnownHosts,
  target: { name: string; address: string; port: number },
  keyBlob: Buffer,
  policy: HostKeyPolicy,
): Promise<void> {
  const where = `${knownHostName(target.address, target.port)}`;
  const offered = `${keyTypeOf(keyBlob)} ${fingerprint(keyBlob)}`;
  const result = known.check(target.address, target.port, keyBlob);
  switch (result.status) {
    case 'known':
      return;
    case 'unknown':
      if (policy === 'accept-new') return known.record(target.address, target.port, keyBlob);
      throw new HostKeyError(
        target.name,
        `host key for ${where} is not in ${known.file} (offered ${offered}); add it, or connect once with --host-key accept-new`,
      );
    case 'revoked':
      throw new HostKeyError(target.name, `host key for ${where} is marked @revoked in ${known.file} (${offered})`);
    case 'changed': {
      const old = result.known
        .map((e) => `${e.keyType} ${fingerprint(Buffer.from(e.key, 'base64'))} (${known.file}:${e.line})`)
        .join(', ');
      throw new HostKeyError(
        target.name,
        `HOST KEY CHANGED for ${where}: known ${old}, offered ${offered}. ` +
          'This may be an attack; if the host was rebuilt, remove the old line and connect again',
      );
    }
  }
}
