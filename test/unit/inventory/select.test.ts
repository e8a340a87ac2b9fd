import { describe, expect, it } from 'vitest';
import { InventoryError, UsageError } from '../../../runner/errors.js';
import { limitHosts, matchPattern, parseInventory, selectHosts } from '../../../runner/inventory/index.js';
import { splitPattern } from '../../../runner/inventory/pattern.js';

const inv = parseInventory(
  `
all:
  hosts:
    bastion:
  children:
    web:
      hosts:
        web01.example.com:
        web02.example.com:
        web03.example.com:
      children:
        canary:
          hosts:
            web03.example.com:
            canary1:
    db:
      hosts:
        db01:
        db02:
    prod:
      children:
        web:
        db:
`,
  'inv.yml',
);
const names = (pattern: string) => selectHosts(inv, pattern).map((h) => h.name);

describe('selectHosts', () => {
  it.each([
    [
      'all',
      ['bastion', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'db01', 'db02', 'canary1'],
    ],
    [
      '*',
      ['bastion', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'db01', 'db02', 'canary1'],
    ],
    ['db01', ['db01']],
    ['web', ['web01.example.com', 'web02.example.com', 'web03.example.com', 'canary1']],
    ['canary', ['web03.example.com', 'canary1']],
    ['ungrouped', ['bastion']],
    ['db:canary', ['db01', 'db02', 'web03.example.com', 'canary1']],
    ['db,canary', ['db01', 'db02', 'web03.example.com', 'canary1']],
    ['web:!canary', ['web01.example.com', 'web02.example.com']],
    ['prod:&canary', ['web03.example.com', 'canary1']],
    ['!web', ['bastion', 'db01', 'db02']],
    ['&db', ['db01', 'db02']],
    ['web0*', ['web01.example.com', 'web02.example.com', 'web03.example.com']],
    ['web0[!1]*', ['web02.example.com', 'web03.example.com']],
    ['*.example.com', ['web01.example.com', 'web02.example.com', 'web03.example.com']],
    ['db0?', ['db01', 'db02']],
    // Hosts matched by name come in the order the file first names them.
    ['~(db|can).*1', ['canary1', 'db01']],
    // A regex, like a glob, also matches group names: `web` brings canary1 along.
    ['~web', ['web01.example.com', 'web02.example.com', 'web03.example.com', 'canary1']],
    ['web[0]', ['web01.example.com']],
    ['web[-1]', ['canary1']],
    ['web[1:2]', ['web02.example.com', 'web03.example.com']],
    ['web[2:]', ['web03.example.com', 'canary1']],
    [' db01 , bastion ', ['db01', 'bastion']],
    ['nothing', []],
  ])('%s', (pattern, expected) => {
    expect(names(pattern)).toEqual(expected);
  });

  it('reports terms that name nothing, as Ansible warns about them', () => {
    expect(matchPattern(inv, 'web:nothing:!gone:db*')).toMatchObject({ unmatched: ['nothing', '!gone'] });
    expect(matchPattern(inv, 'web:&db').unmatched).toEqual([]);
  });

  it('fails on a subscript past the end', () => {
    expect(() => names('db[5]')).toThrow(UsageError);
  });
});

describe('splitPattern', () => {
  it.each([
    ['web:db', ['web', 'db']],
    ['web:&db:!x', ['web', '&db', '!x']],
    ['web,db[0:1]', ['web', 'db[0:1]']],
    ['web[1:2]:db', ['web[1:2]', 'db']],
    ['fd00::5', ['fd00::5']],
    ['', []],
  ])('%s', (pattern, expected) => {
    expect(splitPattern(pattern)).toEqual(expected);
  });
});

describe('limitHosts', () => {
  const play = selectHosts(inv, 'prod');

  it('keeps the play hosts the limit selects, in play order', () => {
    expect(limitHosts(inv, play, 'canary1:db02:bastion').map((h) => h.name)).toEqual(['db02', 'canary1']);
    expect(limitHosts(inv, play, '!web').map((h) => h.name)).toEqual(['db01', 'db02']);
  });

  it('fails on a name that matches no host or group', () => {
    expect(() => limitHosts(inv, play, 'db01:dbo2')).toThrow(InventoryError);
    expect(() => limitHosts(inv, play, 'db01:dbo2')).toThrow(
      "--limit db01:dbo2: no host or group matches 'dbo2'",
    );
  });

  it('returns nothing, without failing, when known names leave no play host', () => {
    expect(limitHosts(inv, play, 'bastion')).toEqual([]);
  });
});
