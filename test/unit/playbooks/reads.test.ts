import { describe, expect, it } from 'vitest';
import { pathExists } from '../../../playbooks/lib/reads.js';
import { siteRecord } from '../../../playbooks/lib/site-tasks.js';
import { publishedPort } from '../../../playbooks/provision-site.js';
import { recordedSites } from '../../../playbooks/vhost-sync.js';
import { serializeSite } from '../../../site/site-config.js';
import { site } from './site-fixture.js';

// Each read's parser fed what its probe prints; the playbook tables feed the parsed values.
const out = (stdout: string) => ({ rc: 0, stdout, stderr: '' });
const host = 'web01';

describe('site record', () => {
  const arg = { domain: site.domain, required: false };

  it('is the recorded site, or nothing when the host has none', () => {
    expect(siteRecord.parse(out(serializeSite(site)), { host, arg })).toEqual(site);
    expect(siteRecord.parse(out(''), { host, arg })).toBeUndefined();
  });

  it('a broken record fails naming the host and the file', () => {
    expect(() => siteRecord.parse(out('{'), { host, arg })).toThrow(
      /^web01: \/var\/lib\/vsa\/sites\/shop.example.com.json: not JSON/,
    );
  });
});

describe('recorded sites', () => {
  it('lists every record the probe printed, none when there are none', () => {
    const other = { ...site, domain: 'api.example.com', container: undefined, externalPort: 8081 };
    const text = [site, other]
      .map((s) => `@@vsa-site /var/lib/vsa/sites/${s.domain}.json\n${serializeSite(s)}`)
      .join('');
    expect(recordedSites.parse(out(text), { host, arg: undefined }).map((s) => s.domain)).toEqual([
      'shop.example.com',
      'api.example.com',
    ]);
    expect(recordedSites.parse(out(''), { host, arg: undefined })).toEqual([]);
  });
});

describe('published port', () => {
  it('is the host port the probe printed', () => {
    expect(
      publishedPort.parse(out('8090\n'), { host, arg: { container: 'shop', port: 3000, expect: undefined } }),
    ).toBe(8090);
  });
});

describe('path exists', () => {
  const envFile = pathExists('env file');

  it('is stat’s `exists`', () => {
    expect(
      envFile.parse({ exists: true, isFile: true, mode: '0640' }, { host, arg: '/srv/x/env/.env' }),
    ).toBe(true);
    expect(envFile.parse({ exists: false }, { host, arg: '/srv/x/env/.env' })).toBe(false);
  });

  it('names the host and the read when stat’s data is not what it expects', () => {
    expect(() => envFile.parse({}, { host, arg: '/srv/x/env/.env' })).toThrow(
      /^web01: read "env file": exists: /,
    );
  });
});
