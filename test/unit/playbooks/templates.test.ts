import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NginxPaths } from '../../../site/paths.js';
import { site } from './site-fixture.js';
import { PROXY_MODES } from '../../../site/proxy-mode.js';
import { upstreamOf, type SiteConfig } from '../../../site/site-config.js';
import {
  renderDefaultServers,
  renderHttpContext,
  renderHttpsVhost,
  renderHttpVhost,
  renderResolver,
  renderSecurityHeaders,
} from '../../../site/vhost.js';

/** Every IPv4 literal in a text (an address, with or without a port). */
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
/** Every shape of site provision can record, with and without www and basic auth. */
const SHAPES: SiteConfig[] = [true, false].flatMap((www) =>
  [true, false].flatMap((auth) => [
    { ...site, www, auth },
    { ...site, www, auth, externalPort: 8090 },
    { ...site, www, auth, container: undefined, externalPort: 8091 },
  ]),
);


describe('vhost templates', () => {
  it('HTTP vhost serves the ACME webroot and redirects everything else to HTTPS, for both names', () => {
    const text = renderHttpVhost(site);
    expect(text).toContain('listen 80;');
    expect(text).toContain('server_name shop.example.com www.shop.example.com;');
    expect(text).toMatch(/location \^~ \/\.well-known\/acme-challenge\/ \{\s+root \/var\/www\/html;/);
    expect(text).toContain('return 301 https://$host$request_uri;');
  });

  it('HTTPS vhost includes the security headers, rate limit, certificate and proxy headers', () => {
    const text = renderHttpsVhost(site, upstreamOf(site, 'container'));
    expect(text).toContain('listen 443 ssl;');
    expect(text).toContain('include /etc/nginx/snippets/security_headers.conf;');
    expect(text).toContain('limit_req zone=vsa_req burst=20 nodelay;');
    expect(text).toContain('ssl_certificate /etc/letsencrypt/live/shop.example.com/fullchain.pem;');
    expect(text).toContain('ssl_certificate_key /etc/letsencrypt/live/shop.example.com/privkey.pem;');
    expect(text).toContain('set $vsa_upstream http://shop:3000;');
    expect(text).toContain('proxy_pass $vsa_upstream;');
    expect(text).toMatch(/if \(\$vsa_misdirected\) \{\s+return 421;\s+\}/);
    for (const h of [
      'Host $host',
      'X-Real-IP $remote_addr',
      'X-Forwarded-For $proxy_add_x_forwarded_for',
      'X-Forwarded-Proto $scheme',
    ]) {
      expect(text).toContain(`proxy_set_header ${h};`);
    }
    expect(text).not.toContain('auth_basic');
  });

  it('adds the www alias unless noWww, and basic auth only when on', () => {
    const bare = renderHttpsVhost({ ...site, www: false, auth: true }, upstreamOf(site, 'container'));
    expect(bare).toContain('server_name shop.example.com;');
    expect(bare).not.toContain('www.');
    expect(bare).toContain('auth_basic "Restricted";');
    expect(bare).toContain('auth_basic_user_file /etc/nginx/htpasswd/shop.example.com;');
  });

  it('no rendered vhost of any site shape holds a container address: a name, or a port on loopback in host mode', () => {
    let rendered = 0;
    for (const shape of SHAPES) {
      expect(renderHttpVhost(shape).match(IPV4)).toBeNull();
      for (const mode of PROXY_MODES) {
        let upstream;
        try {
          upstream = upstreamOf(shape, mode);
        } catch {
          continue; // a shape this mode refuses (host mode without a published port, …)
        }
        const text = renderHttpsVhost(shape, upstream);
        rendered++;
        const addresses = text.match(IPV4) ?? [];
        if (mode === 'container') {
          expect(addresses).toEqual([]);
          expect(text).toContain(`set $vsa_upstream http://${shape.container}:${shape.port};`);
        } else {
          expect(addresses).toEqual(['127.0.0.1']);
          expect(text).toContain(`proxy_pass http://127.0.0.1:${shape.externalPort};`);
        }
      }
    }
    expect(rendered).toBe(16);
  });

  it('default servers: 444 on port 80 and a refused TLS handshake on 443 for every name no site owns', () => {
    const text = renderDefaultServers();
    expect(text).toMatch(/listen 80 default_server;\s+server_name _;/);
    expect(text).toMatch(/location \/ \{\s+return 444;\s+\}/);
    // ACME tokens are the one thing it serves on 80: public by design, no tenant's content.
    expect(text).toMatch(/location \^~ \/\.well-known\/acme-challenge\/ \{\s+root \/var\/www\/html;/);
    expect(text).toMatch(/listen 443 ssl default_server;\s+server_name _;[^}]*ssl_reject_handshake on;/);
    expect(text).not.toMatch(/ssl_certificate/);
  });

  it('resolver: the engine DNS, re-asked every 10 s', () => {
    expect(renderResolver('10.89.0.1')).toContain('resolver 10.89.0.1 valid=10s ipv6=off;');
  });

  it('security headers: HSTS with includeSubDomains, DENY, nosniff, Referrer-Policy and a CSP, always', () => {
    const text = renderSecurityHeaders();
    expect(text).toMatch(/add_header Strict-Transport-Security "max-age=\d+; includeSubDomains" always;/);
    expect(text).toContain('add_header X-Frame-Options "DENY" always;');
    expect(text).toContain('add_header X-Content-Type-Options "nosniff" always;');
    expect(text).toMatch(/add_header Referrer-Policy "[a-z-]+" always;/);
    expect(text).toMatch(
      /add_header Content-Security-Policy "default-src 'self';[^"]*frame-ancestors 'none'[^"]*" always;/,
    );
  });

  it('http-level conf defines the rate-limit zone the vhosts use and the upgrade map', () => {
    const text = renderHttpContext();
    expect(text).toContain('limit_req_zone $binary_remote_addr zone=vsa_req:10m rate=10r/s;');
    expect(text).toContain('map $http_upgrade $connection_upgrade {');
    expect(text).toContain('map "$ssl_server_name $host" $vsa_misdirected {');
  });
});

describe('a rendered site passes a real nginx -t', () => {
  let dir: string;
  let paths: NginxPaths;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vsa-nginx-'));
    paths = {
      snippets: join(dir, 'snippets'),
      webroot: join(dir, 'www'),
      certs: join(dir, 'live'),
      htpasswd: join(dir, 'htpasswd'),
    };
    for (const d of [
      paths.snippets,
      paths.webroot,
      join(paths.certs, site.domain),
      paths.htpasswd,
      join(dir, 'conf.d'),
      join(dir, 'logs'),
    ]) {
      mkdirSync(d, { recursive: true });
    }
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${site.domain}`,
        '-keyout',
        join(paths.certs, site.domain, 'privkey.pem'),
        '-out',
        join(paths.certs, site.domain, 'fullchain.pem'),
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(
      join(paths.htpasswd, site.domain),
      'alice:$2y$10$abcdefghijklmnopqrstuuK1ZVh0fLDmZ4s6wRzWq0nSJOUe0hLmK\n',
    );
    writeFileSync(join(paths.snippets, 'security_headers.conf'), renderSecurityHeaders());
    writeFileSync(join(dir, 'conf.d', '00-vsa.conf'), renderHttpContext());
    writeFileSync(
      join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/conf.d/*.conf;\n}\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const nginxTest = () =>
    spawnSync(
      'nginx',
      ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log')],
      { encoding: 'utf8' },
    );

  it('accepts the default servers, the resolver and the HTTP and HTTPS vhosts (by name and by loopback port)', () => {
    const authSite = { ...site, auth: true };
    writeFileSync(join(dir, 'conf.d', `${site.domain}.http.conf`), renderHttpVhost(authSite, paths));
    writeFileSync(
      join(dir, 'conf.d', `${site.domain}.conf`),
      renderHttpsVhost(authSite, upstreamOf(authSite, 'container'), paths),
    );
    writeFileSync(join(dir, 'conf.d', '00-resolver.conf'), renderResolver('10.89.0.1'));
    writeFileSync(join(dir, 'conf.d', '00-default.conf'), renderDefaultServers(paths));
    const portSite = { ...site, domain: 'api.example.com', www: false, externalPort: 8081 };
    mkdirSync(join(paths.certs, portSite.domain), { recursive: true });
    for (const f of ['privkey.pem', 'fullchain.pem'])
      copyFileSync(join(paths.certs, site.domain, f), join(paths.certs, portSite.domain, f));
    writeFileSync(join(dir, 'conf.d', `${portSite.domain}.conf`), renderHttpsVhost(portSite, upstreamOf(portSite, 'host'), paths));
    const r = nginxTest();
    expect(r.stderr).toContain('test is successful');
    expect(r.status).toBe(0);
  });

  it('fails without the http-level zone, so the test above really checks the vhost', () => {
    rmSync(join(dir, 'conf.d', '00-vsa.conf'));
    try {
      const r = nginxTest();
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/vsa_req|connection_upgrade|vsa_misdirected/);
    } finally {
      writeFileSync(join(dir, 'conf.d', '00-vsa.conf'), renderHttpContext());
    }
  });
});
