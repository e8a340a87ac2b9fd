import { afterEach, describe, expect, it, vi } from 'vitest';
import { InventoryError, UsageError } from '../../../runner/errors.js';
import { loadInventory, toAnsibleList } from '../../../runner/inventory/index.js';
import { vsaInventory } from './vsa-inventory.js';

const file = 'test/fixtures/inventory/nested.yml';

const vsa = vsaInventory;

afterEach(() => vi.restoreAllMocks());

describe('vsa inventory', () => {
  it('--list prints the ansible-inventory JSON', async () => {
    const printed = JSON.parse(await vsa('-i', file, '--list'));
    expect(printed).toEqual(JSON.parse(JSON.stringify(toAnsibleList(await loadInventory(file)))));
    expect(printed.web.children).toEqual(['web_eu']);
  });

  it('--list-hosts --limit prints one name per line', async () => {
    expect(await vsa('-i', file, '--list-hosts', '--limit', 'web:!web_eu')).toBe('web01\n');
    expect(await vsa('-i', file, '--list-hosts', '-l', 'db01,mon01')).toBe('db01\nmon01\n');
  });

  it('--list-hosts without a limit lists every host', async () => {
    expect(await vsa('-i', file, '--list-hosts')).toBe('bastion\nweb01\nweb02\ndb01\nmon01\nweb03\n');
  });

  it('--graph and --host', async () => {
    expect(await vsa('-i', file, '--graph', 'web')).toBe(
      '@web:\n  |--@web_eu:\n  |  |--web02\n  |  |--web03\n  |--web01\n  |--web02\n',
    );
    expect(JSON.parse(await vsa('-i', file, '--host', 'web02'))).toMatchObject({
      tier: 'web_eu',
      http_port: 8080,
    });
  });

  it('fails with exit 5 on an unknown --limit name', async () => {
    const err = await vsa('-i', file, '--list-hosts', '--limit', 'web01:webb02').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect(err).toMatchObject({
      exitCode: 5,
      message: expect.stringContaining("no host or group matches 'webb02'"),
    });
  });

  it.each([
    [['-i', file], /choose one of/],
    [['-i', file, '--list', '--list-hosts'], /choose one of/],
    [['-i', file, '--list', '--limit', 'web'], /--limit works with --list-hosts/],
    [['-i', file, '--host', 'nobody'], /no host named 'nobody'/],
    [['-i', file, '--graph', 'nogroup'], /'nogroup' is not a group/],
  ])('rejects %j', async (args, message) => {
    const err = await vsa(...args).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(5);
    expect((err as Error).message).toMatch(message);
  });

  it('reports a broken inventory with file and line', async () => {
    await expect(vsa('-i', 'test/fixtures/inventory/missing.yml', '--list')).rejects.toThrow(
      'test/fixtures/inventory/missing.yml: cannot read inventory: no such file',
    );
  });

  it('--help shows examples', async () => {
    const help = await vsa('--help');
    expect(help).toContain('Examples:');
    expect(help).toContain("--list-hosts --limit 'web:!web03.example.com'");
  });
});
