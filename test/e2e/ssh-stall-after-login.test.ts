import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, resultsOf, said, startVsa, tempHome, type VsaProcess } from './faults-support/vsa.js';

/**
 * SSH servers on loopback that let the login finish, then misbehave: one never answers the
 * session channel, one never answers exec, one streams output without end. Each stands beside
 * the control machine itself (a local host), which must run to the end.
 */
type Misbehaviour = 'no-channel' | 'no-exec' | 'flood';

const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
const clientKey = ssh2.utils.generateKeyPairSync('ed25519').private;

function startServer(kind: Misbehaviour): Promise<{ port: number; close(): void }> {
  const clients = new Set<ssh2.Connection>();
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.on('error', () => undefined).on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => ctx.accept());
    client.on('ready', () =>
      client.on('session', (accept) => {
        if (kind === 'no-channel') return;
        const session = accept();
        session.on('exec', (acceptExec) => {
          if (kind === 'no-exec') return;
          const channel = acceptExec();
          const chunk = Buffer.alloc(64 * 1024, 'A');
          const pump = (): void => {
            while (!channel.destroyed && channel.write(chunk));
            if (!channel.destroyed) channel.once('drain', pump);
          };
          pump();
        });
      }),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => {
          clients.forEach((c) => c.end());
          server.close();
        },
      }),
    ),
  );
}

describe('a host that lets the login finish, then stalls or floods', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let running: VsaProcess | undefined;
  const servers: { close(): void }[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    home = await tempHome('ssh-stall');
  });
  afterEach(() => {
    running?.child.kill('SIGKILL');
    running = undefined;
    servers.splice(0).forEach((s) => s.close());
  });
  afterAll(() => home.remove());

  const run = async (kind: Misbehaviour) => {
    const server = await startServer(kind);
    servers.push(server);
    const inventory = `${home.dir}/${kind}.yml`;
    await writeFile(
      inventory,
      [
        'all:',
        '  hosts:',
        `    bad: {ansible_host: 127.0.0.1, ansible_port: ${server.port}, ansible_user: root}`,
        '    localhost: {ansible_connection: local}',
        '',
      ].join('\n'),
    );
    const args = ['run', 'demo', '-i', inventory, '-e', `root=${home.dir}/demo-${kind}`];
    running = startVsa([...args, '--connect-timeout', '3', '--host-key', 'accept-new', '--json'], home.dir, {
      VSA_SSH_KEY: clientKey,
      // A small heap makes unbounded buffering show as a crash at once instead of after gigabytes.
      NODE_OPTIONS: '--max-old-space-size=192',
    });
    // A watchdog, not an assertion on time: a hung run is killed so the test can report it.
    const watchdog = setTimeout(() => running?.child.kill('SIGKILL'), 60_000);
    const r = await running.done;
    clearTimeout(watchdog);
    return r;
  };

  it.each<Misbehaviour>(['no-channel', 'no-exec'])(
    '%s: the host is unreachable (exit 4) and the local host still completes',
    async (kind) => {
      const r = await run(kind);
      expect(r.signal, `the run hung and was killed\n${said(r)}`).toBeNull();
      expect(r.code, said(r)).toBe(4);
      expect(resultsOf(r.events, 'bad').map((e) => e.status)).toContain('unreachable');
      expect(resultsOf(r.events, 'localhost').length).toBeGreaterThan(0);
    },
    90_000,
  );

  it('flood: endless output is cut off, the run neither runs out of memory nor hangs', async () => {
    const r = await run('flood');
    expect(r.signal, `the run hung and was killed\n${said(r).slice(-2000)}`).toBeNull();
    expect(r.stderr).not.toMatch(/heap out of memory/i);
    expect([2, 4], said(r).slice(-2000)).toContain(r.code);
    expect(resultsOf(r.events, 'localhost').length).toBeGreaterThan(0);
  }, 90_000);
});
