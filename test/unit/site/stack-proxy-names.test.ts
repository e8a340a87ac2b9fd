import { describe, expect, it } from 'vitest';
import { composeFile } from '../../../site/stack-lint/compose-schema.js';
import { proxyNames } from '../../../site/stack-proxy-names.js';

const names = (compose: unknown, project = 'shop') => proxyNames(composeFile.parse(compose), project);

describe('the names a stack takes on the proxy network', () => {
  it('a service on the external flowbiz_ext network answers to its service name and its container_name', () => {
    const got = names({
      services: { bravo: { image: 'x', container_name: 'mallory', networks: ['flowbiz_ext'] } },
      networks: { flowbiz_ext: { external: true } },
    });
    expect(got).toEqual([
      { service: 'bravo', name: 'bravo', own: false },
      { service: 'bravo', name: 'mallory', own: true },
    ]);
  });

  it('finds the proxy network under another key by its name, and counts aliases', () => {
    const got = names({
      services: { web: { image: 'x', networks: { edge: { aliases: ['bravo', 'www'] }, local: null } } },
      networks: { edge: { external: true, name: 'flowbiz_ext' }, local: {} },
    });
    expect(got.map((n) => n.name)).toEqual(['web', 'bravo', 'www']);
  });

  it('a default network that is flowbiz_ext counts for services that name no network', () => {
    const got = names({
      services: { web: { image: 'x' }, db: { image: 'y', networks: ['local'] }, host: { image: 'z', network_mode: 'host' } },
      networks: { default: { external: { name: 'flowbiz_ext' } }, local: {} },
    });
    expect(got.map((n) => `${n.service}:${n.name}`)).toEqual(['web:web']);
  });

  it('a project network keyed flowbiz_ext is PROJECT_flowbiz_ext, not the proxy network', () => {
    expect(names({ services: { web: { image: 'x', networks: ['flowbiz_ext'] } }, networks: { flowbiz_ext: {} } })).toEqual([]);
  });
});
