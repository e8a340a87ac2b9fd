import { describe, expect, it } from 'vitest';
import {
  parseSite,
  parseSiteList,
  serializeSite,
  SiteRecordError,
  upstreamOf,
} from '../../../site/site-config.js';
import { site } from './site-fixture.js';
import { parseContainers, parseDf, parseStatus } from '../../../site/status.js';


describe('site records', () => {
  it('serialise with a stable key order and round-trip', () => {
    const text = serializeSite({
      auth: false,
      www: true,
      port: 3000,
      container: 'shop',
      domain: 'shop.example.com',
      version: 1,
    });
    expect(text).toBe(serializeSite(site));
    expect(parseSite(text, 'f', 'h')).toEqual(site);
  });

  it('a broken or foreign record fails naming the host and file', () => {
    expect(() => parseSite('{', '/var/lib/vsa/sites/x.json', 'web01')).toThrow(
      /^web01: \/var\/lib\/vsa\/sites\/x.json: not JSON/,
    );
    expect(() => parseSite('{"version":1,"domain":"x;y"}', 'f.json', 'web01')).toThrow(SiteRecordError);
  });

  it('lists several records from one read', () => {
    const b = { ...site, domain: 'b.example.com', container: undefined, externalPort: 8081 };
    const out = `@@vsa-site /s/a.json\n${serializeSite(site)}@@vsa-site /s/b.json\n${serializeSite(b)}`;
    expect(parseSiteList(out, 'h').map((s) => s.domain)).toEqual(['shop.example.com', 'b.example.com']);
    expect(parseSiteList('', 'h')).toEqual([]);
  });

  it('upstream: the container by name in container mode, a loopback port in host mode, never an address', () => {
    expect(upstreamOf(site, 'container')).toEqual({ url: 'http://shop:3000', byName: true });
    expect(upstreamOf({ ...site, externalPort: 8090 }, 'container')).toEqual({ url: 'http://shop:3000', byName: true });
    expect(upstreamOf({ ...site, externalPort: 8090 }, 'host')).toEqual({ url: 'http://127.0.0.1:8090', byName: false });
    expect(() => upstreamOf(site, 'host')).toThrow(/--external-port/);
    const portOnly = { ...site, container: undefined, externalPort: 8090 };
    expect(() => upstreamOf(portOnly, 'container')).toThrow(/--container NAME --port PORT/);
  });
});

describe('status snapshot parsing', () => {
  it('containers from docker (JSON lines) and podman (an array)', () => {
    const docker =
      '{"Names":"shop","Image":"shop:1","State":"running","Status":"Up 2 hours (healthy)"}\n{"Names":"old","Image":"x","State":"exited","Status":"Exited (0)"}';
    expect(parseContainers(docker)).toEqual([
      { name: 'shop', image: 'shop:1', state: 'running', status: 'Up 2 hours (healthy)', health: 'healthy' },
      { name: 'old', image: 'x', state: 'exited', status: 'Exited (0)' },
    ]);
    const podman =
      'Emulate Docker CLI using podman.\n[{"Names":["web"],"Image":"localhost/web:latest","State":"running","Status":"Up 3 minutes (starting)"}]';
    expect(parseContainers(podman)).toEqual([
      {
        name: 'web',
        image: 'localhost/web:latest',
        state: 'running',
        status: 'Up 3 minutes (starting)',
        health: 'starting',
      },
    ]);
  });

  it('df -P without pseudo filesystems', () => {
    const df =
      'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda1 41152736 9123456 30000000 24% /\nproc 0 0 0 - /proc\n';
    expect(parseDf(df)).toEqual([
      {
        filesystem: '/dev/vda1',
        mount: '/',
        sizeKb: 41152736,
        usedKb: 9123456,
        availKb: 30000000,
        usePercent: 24,
      },
    ]);
  });

  it('one probe output becomes the documented shape; a failed part is listed, not fatal', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const out = [
      '@@vsa-status containers 127',
      'no container engine',
      '@@vsa-status certificates 0',
      '@@vsa-cert shop.example.com',
      'issuer=CN = Pebble Intermediate CA 1a2b3c',
      'notAfter=Jan  4 11:08:50 2027 GMT',
      'X509v3 Subject Alternative Name: ',
      '    DNS:shop.example.com, DNS:www.shop.example.com',
      'sha256 Fingerprint=AB:CD',
      '@@vsa-status sites 0',
      `@@vsa-site /var/lib/vsa/sites/shop.example.com.json\n${serializeSite(site).trimEnd()}`,
      '@@vsa-status disk 0',
      'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda1 100 50 50 50% /',
      '@@vsa-status load 0',
      '0.52 0.40 0.31 1/123 4567',
      '',
    ].join('\n');
    const s = parseStatus(out, 'web01', now);
    expect(s).toEqual({
      collectedAt: '2026-11-25T12:00:00.000Z',
      containers: [],
      certificates: [
        {
          name: 'shop.example.com',
          issuer: 'CN = Pebble Intermediate CA 1a2b3c',
          notAfter: '2027-01-04T11:08:50.000Z',
          daysLeft: 39,
          sans: ['shop.example.com', 'www.shop.example.com'],
        },
      ],
      sites: [site],
      disk: [{ filesystem: '/dev/vda1', mount: '/', sizeKb: 100, usedKb: 50, availKb: 50, usePercent: 50 }],
      load: { one: 0.52, five: 0.4, fifteen: 0.31 },
      errors: ['containers: no container engine'],
    });
  });
});
