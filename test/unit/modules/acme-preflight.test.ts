import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { certbot, planIssue, type CertbotParams } from '../../../modules/certbot.js';
import { preflightScript, resolveNames, type ResolveA } from '../../../modules/acme-preflight.js';
import { describeCertbotFailure, parseChallengeFailures } from '../../../modules/certbot-errors.js';

const D = 'shop.example.com';
const issue = certbot.params.parse({ action: 'issue', domain: D, email: 'ops@example.com', www: true, dnsServer: '198.18.0.1:8053' }) as Extract<CertbotParams, { action: 'issue' }>;
const absent = new Map([[D, null]]);

/** A DNS answer per name; a missing name is NXDOMAIN as node:dns reports it. */
const dns = (records: Record<string, string>): ResolveA => async (name) => {
  if (records[name]) return [records[name]];
  throw Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

describe('preflight before an ACME order', () => {
  it('a name DNS does not resolve fails the task before anything runs on the host or at the CA', async () => {
    const plan = await planIssue(issue, absent, dns({ [D]: '198.18.0.11' }));
    expect(plan.commands).toEqual([]);
    expect(plan.fail).toBe(
      'preflight before the ACME order failed, the CA was not asked:\n' +
        `  www.${D}: DNS has no A record for it (DNS server 198.18.0.1:8053)`,
    );
    const down: ResolveA = async () => {
      throw Object.assign(new Error('timeout'), { code: 'ETIMEOUT' });
    };
    expect((await resolveNames([D], down))[0]).toEqual({ name: D, error: 'DNS gave no answer (ETIMEOUT)' });
  });

  it('every name resolved: the write step runs the HTTP check first, then certbot, then reads the certificate', async () => {
    const plan = await planIssue(issue, absent, dns({ [D]: '198.18.0.11', [`www.${D}`]: '198.18.0.12' }));
    expect(plan.fail).toBeUndefined();
    const [check, order, read] = plan.commands.map(toShell);
    expect(check).toMatch(new RegExp(`^command -v curl .*\\nd=/var/www/html/\\.well-known/acme-challenge; tok=[A-Za-z0-9_-]{32}\\n`));
    expect(check).toContain(`check ${D} 198.18.0.11\ncheck www.${D} 198.18.0.12\n`);
    expect(order).toMatch(/^certbot certonly --webroot/);
    expect(read).toContain('@@vsa-cert');
  });

  it('no preflight when no order is due, or when it is turned off', async () => {
    const noDns: ResolveA = async () => {
      throw new Error('must not resolve');
    };
    const valid = { name: D, issuer: 'Pebble', notAfter: '2099-01-01T00:00:00.000Z', daysLeft: 9000, sans: [D, `www.${D}`], fingerprint: 'AA' };
    expect((await planIssue(issue, new Map([[D, valid]]), noDns)).commands).toEqual([]);
    const off = { ...issue, preflight: false };
    expect((await planIssue(off, absent, noDns)).commands.map(toShell)[0]).toMatch(/^certbot certonly/);
  });

  it('the script writes the token, fetches it by each name at its DNS address, names each failure and why, and cleans up', () => {
    const lines = preflightScript('/var/www/html', 'TOKEN', [{ name: D, address: '198.18.0.11' }]).split('\n');
    expect(lines.slice(1, 5)).toEqual([
      'd=/var/www/html/.well-known/acme-challenge; tok=TOKEN',
      'mkdir -p -- "$d"; b=$(mktemp)',
      `trap 'rm -f -- "$d/$tok" "$b" "$b.err"' EXIT`,
      `printf '%s' "$tok" > "$d/$tok"; chmod 0644 "$d/$tok"`,
    ]);
    // As the CA fetches it: by the name, at the address DNS gave, over plain HTTP on port 80.
    expect(lines).toContain(
      '  code=$(curl -sS --connect-timeout 3 -m 10 --retry 2 --retry-delay 1 -o "$b" -w \'%{http_code}\' --resolve "$1:80:$2" "http://$1/.well-known/acme-challenge/$tok" 2>"$b.err") || code=none',
    );
    expect(lines.filter((l) => /why=/.test(l)).map((l) => /why="([^"$]*)/.exec(l)?.[1])).toEqual([
      'no HTTP answer (',
      'HTTP ',
      'a body that is not the token (another server answers)',
    ]);
    expect(lines.at(-2)).toBe(`check ${D} 198.18.0.11`);
    expect(lines.at(-1)).toMatch(/^if \[ -n "\$failed" \]; then .*>&2; exit 1; fi$/);
  });

  it('on a host without curl it fails naming curl and writes nothing into the webroot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vsa-preflight-'));
    try {
      // Every tool the script uses but curl, as on Debian's minimal images.
      const bin = join(dir, 'bin');
      const webroot = join(dir, 'www');
      await promisify(execFile)('mkdir', ['-p', bin, webroot]);
      for (const tool of ['sh', 'mkdir', 'mktemp', 'rm', 'chmod', 'hostname', 'tail', 'cat'])
        await symlink((await promisify(execFile)('sh', ['-c', `command -v ${tool}`])).stdout.trim(), join(bin, tool));
      const run = promisify(execFile)(join(bin, 'sh'), ['-c', preflightScript(webroot, 'TOKEN', [{ name: D, address: '198.18.0.11' }])], { env: { PATH: bin } });
      const err = await run.then(() => undefined, (e: { code: number; stderr: string }) => e);
      expect(err?.code).toBe(1);
      expect(err?.stderr).toBe(
        'preflight before the ACME order failed, the CA was not asked:\n  curl is not installed on this host: install it (vsa bootstrap does)\n',
      );
      expect(await readdir(webroot)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** What certbot 2.x prints when the CA refuses: the details on stdout, one line on stderr. */
const CERTBOT_STDOUT = `Saving debug log to /var/log/letsencrypt/letsencrypt.log
Requesting a certificate for shop.example.com and www.shop.example.com

Certbot failed to authenticate some domains (authenticator: webroot). The Certificate Authority reported these problems:
  Domain: www.shop.example.com
  Type:   unauthorized
  Detail: 198.18.0.1: Invalid response from http://www.shop.example.com/.well-known/acme-challenge/abc: 404

  Domain: shop.example.com
  Type:   connection
  Detail: 198.18.0.1: Fetching http://shop.example.com/.well-known/acme-challenge/def: Connection refused

Hint: The Certificate Authority failed to download the temporary challenge files created by Certbot.
`;
const CERTBOT_STDERR = 'Some challenges have failed.\nAsk for help or search for solutions at https://community.letsencrypt.org.\n';

describe("certbot's refusal, as the operator reads it", () => {
  it('names each failed domain with the challenge type, the error type and the CA detail', () => {
    expect(parseChallengeFailures(CERTBOT_STDOUT)).toEqual([
      {
        domain: 'www.shop.example.com',
        challenge: 'http-01',
        type: 'unauthorized',
        detail: '198.18.0.1: Invalid response from http://www.shop.example.com/.well-known/acme-challenge/abc: 404',
      },
      {
        domain: 'shop.example.com',
        challenge: 'http-01',
        type: 'connection',
        detail: '198.18.0.1: Fetching http://shop.example.com/.well-known/acme-challenge/def: Connection refused',
      },
    ]);
    expect(describeCertbotFailure(CERTBOT_STDOUT, CERTBOT_STDERR, 'certbot exited 1')).toBe(
      [
        'the CA refused the challenge of:',
        '  www.shop.example.com: http-01 challenge failed (unauthorized): 198.18.0.1: Invalid response from http://www.shop.example.com/.well-known/acme-challenge/abc: 404',
        '  shop.example.com: http-01 challenge failed (connection): 198.18.0.1: Fetching http://shop.example.com/.well-known/acme-challenge/def: Connection refused',
      ].join('\n'),
    );
  });

  it('keeps renew-certs’ summary line, and certbot’s stderr when it printed no challenge details', () => {
    expect(describeCertbotFailure(CERTBOT_STDOUT, `${CERTBOT_STDERR}renewal failed for: shop.example.com`, '')).toMatch(
      /Connection refused\nrenewal failed for: shop\.example\.com$/,
    );
    expect(describeCertbotFailure('', 'An unexpected error occurred: rate limited\n', 'certbot exited 1')).toBe(
      'An unexpected error occurred: rate limited',
    );
    expect(describeCertbotFailure('', '', 'certbot exited 1')).toBe('certbot exited 1');
  });
});
