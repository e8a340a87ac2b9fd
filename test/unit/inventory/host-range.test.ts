import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../../runner/inventory/address.js';
import { VsaError } from '../../../runner/errors.js';
import { expandHostRange, HostRangeError } from '../../../runner/inventory/host-range.js';

describe('expandHostRange', () => {
  it.each([
    ['web[01:03].x', ['web01.x', 'web02.x', 'web03.x']],
    ['web[1:3]', ['web1', 'web2', 'web3']],
    ['web[8:10]', ['web8', 'web9', 'web10']],
    ['db-[a:c].x', ['db-a.x', 'db-b.x', 'db-c.x']],
    ['n[1:10:4]', ['n1', 'n5', 'n9']],
    ['n[01:10:4]', ['n01', 'n05', 'n09']],
    ['n[a:g:3]', ['na', 'nd', 'ng']],
    ['n[:2]', ['n0', 'n1', 'n2']],
    ['r[1:2]-[a:b]', ['r1-a', 'r1-b', 'r2-a', 'r2-b']],
    ['plain.example.com', ['plain.example.com']],
  ])('%s', (name, expected) => {
    expect(expandHostRange(name)).toEqual(expected);
  });

  it.each([
    ['web[1]', /begin:end/],
    ['web[1:]', /end value/],
    ['web[01:100]', /equal-length/],
    ['web[c:a]', /begin <= end/],
    ['web[1:x]', /bad bound/],
    ['web[1:3:0]', /step/],
    ['web[1:3', /closing/],
  ])('rejects %s', (name, message) => {
    expect(() => expandHostRange(name)).toThrow(HostRangeError);
    expect(() => expandHostRange(name)).toThrow(message);
  });

  it('is a VsaError of bad input (exit 5) that names the range it could not expand', () => {
    const err = (() => {
      try {
        return expandHostRange('web[1:x].example.com');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(VsaError);
    expect(err).toMatchObject({ exitCode: 5, range: '1:x' });
  });
});

describe('parseAddress', () => {
  it.each([
    ['web1', { host: 'web1' }],
    ['web1:2222', { host: 'web1', port: 2222 }],
    ['198.18.0.5:22', { host: '198.18.0.5', port: 22 }],
    ['[fd00::5]:2201', { host: 'fd00::5', port: 2201 }],
    ['fd00::5', { host: 'fd00::5' }],
    ['web[1:3]:80', { host: 'web[1:3]', port: 80 }],
    ['db-[a:c].x', { host: 'db-[a:c].x' }],
  ])('%s', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it.each(['web:db', 'has space', 'trailing-', '*.example.com'])('%s is no address', (text) => {
    expect(parseAddress(text)).toBeUndefined();
  });
});
