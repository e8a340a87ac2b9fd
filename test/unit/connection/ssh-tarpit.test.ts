import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { KnownHosts } from '../../../runner/connection/known-hosts/verifier.js';
import { openClient } from '../../../runner/connection/ssh/open-client.js';
import { UnreachableError } from '../../../runner/errors.js';
import { startTarpit, TARPIT_SOFTWARE, type Tarpit, type TarpitKind } from '../../lab/tarpit.js';

/** ssh2 against loopback servers that accept TCP but never let a login finish. */
describe('a server that never completes the SSH handshake', () => {
  let tarpit: Tarpit | undefined;
  afterEach(() => tarpit?.close());

  const connect = async (kind: TarpitKind) => {
    tarpit = await startTarpit(kind);
    const where = `${tarpit.address}:${tarpit.port}`;
    const error = await openClient(
      { address: tarpit.address, port: tarpit.port, user: 'deploy' },
      {
        host: 'tarpit',
        credentials: { methods: [{ type: 'none', username: 'deploy' }], tried: ['none'] },
        knownHosts: await KnownHosts.load('/nonexistent/known_hosts'),
        hostKeyPolicy: 'strict',
        readyTimeoutMs: 300,
        keepaliveIntervalMs: 15_000,
        keepaliveCountMax: 3,
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    // ssh2 reports the socket's end after the timeout as a second error: it must land nowhere.
    await tarpit.drained();
    await tick();
    return { error, where };
  };

  it('no banner: unreachable naming the missing banner and the timeout, and nothing thrown later', async () => {
    const { error, where } = await connect('silent');
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toBe(
      `tarpit: ${where} accepted the connection but sent no SSH banner within 300 ms (not an SSH server, or one too busy to answer)`,
    );
  });

  it('a banner, then silence: unreachable naming the banner it sent', async () => {
    const { error, where } = await connect('banner');
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toBe(
      `tarpit: no SSH handshake with ${where} within 300 ms (it sent its SSH banner, "${TARPIT_SOFTWARE}", then nothing)`,
    );
  });

  it.each(['close', 'reset'] as const)('%s at once: unreachable saying the server hung up before its banner', async (kind) => {
    const { error, where } = await connect(kind);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toBe(
      `tarpit: ${where} closed the connection before sending an SSH banner (not an SSH server, or sshd refused it, e.g. MaxStartups)`,
    );
  });
});
