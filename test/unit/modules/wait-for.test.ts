import { createServer as createHttp } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkCommand, waitFor } from '../../../modules/wait-for.js';
import type { NetToolsFacts } from '../../../modules/facts/net-tools.js';
import { run, withLocal } from './run-module-helper.js';

const none: NetToolsFacts = { nc: false, bash: false, busybox: false, curl: false, wget: false };
const check = (params: Record<string, unknown>, tools: Partial<NetToolsFacts>) =>
  checkCommand(waitFor.params.parse(params), { ...none, ...tools });

describe('wait_for: decisions', () => {
  it('picks the best tool the host has', () => {
    const port = { port: 80 };
    expect(check(port, { nc: true, bash: true })).toBe('nc -z -w 2 127.0.0.1 80');
    expect(check(port, { bash: true, busybox: true })).toBe(
      `bash -c 'exec 3<>"/dev/tcp/$1/$2"' wait_for 127.0.0.1 80`,
    );
    expect(check(port, { busybox: true, curl: true })).toBe('busybox nc -z -w 2 127.0.0.1 80');
    expect(check(port, { curl: true })).toBeUndefined();
    const url = { url: 'https://a.example/x?y=1&z=$(id)', insecure: true };
    expect(check(url, { curl: true, wget: true })).toBe(
      `curl -fsS -o /dev/null -m 5 -k -- 'https://a.example/x?y=1&z=$(id)'`,
    );
    expect(check(url, { wget: true })).toBe(
      `wget -q -O /dev/null -T 5 --no-check-certificate 'https://a.example/x?y=1&z=$(id)'`,
    );
    expect(check(url, { busybox: true })).toMatch(/^busybox wget /);
  });

  it('validates params', () => {
    expect(waitFor.params.safeParse({ port: 80, url: 'http://x' }).success).toBe(false);
    expect(waitFor.params.safeParse({ port: 80, host: 'a;b' }).success).toBe(false);
    expect(waitFor.params.safeParse({ url: 'ftp://x' }).success).toBe(false);
    // Past a day the deadline arithmetic in sh would overflow.
    expect(waitFor.params.safeParse({ port: 80, timeout: 99_999_999_999 }).success).toBe(false);
    expect(waitFor.params.safeParse({ port: 80, interval: 86_400 }).success).toBe(false);
    expect(waitFor.runInCheckMode!(waitFor.params.parse({ port: 1 }))).toBe(true);
  });
});

const listen = (server: Server) =>
  new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));

describe('wait_for on a real host', () => {
  it('a port: ok when open, ok once closed, failed with a clear message on timeout', async () => {
    const server = createServer((s) => s.end());
    const port = await listen(server);
    try {
      await withLocal(async (conn) => {
        const up = await run(waitFor, { port, timeout: 5 }, conn, { check: true });
        // The seconds it reports are the host's clock (`date +%s`): a second may tick over on the way.
        expect(up).toMatchObject({ status: 'ok', message: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port} is up \\(after \\d+ s\\)$`)) });
        await new Promise((r) => server.close(r));
        expect((await run(waitFor, { port, state: 'stopped', timeout: 5 }, conn)).status).toBe('ok');
        const late = await run(waitFor, { port, timeout: 1, interval: 0.2 }, conn);
        expect(late).toMatchObject({
          status: 'failed',
          message: `timed out after 1 s waiting for 127.0.0.1:${port} to be up`,
        });
      });
    } finally {
      server.close();
    }
  });

  it('a URL: up on 200, not on 500', async () => {
    let code = 500;
    const server = createHttp((_, res) => res.writeHead(code).end('x'));
    const port = await listen(server);
    try {
      await withLocal(async (conn) => {
        const url = `http://127.0.0.1:${port}/health`;
        expect((await run(waitFor, { url, timeout: 1, interval: 0.2 }, conn)).status).toBe('failed');
        code = 200;
        expect((await run(waitFor, { url, timeout: 5 }, conn)).status).toBe('ok');
      });
    } finally {
      server.close();
    }
  });
});
