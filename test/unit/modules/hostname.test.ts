import { describe, expect, it } from 'vitest';
import { hostname } from '../../../modules/hostname.js';
import { domain } from '../../../site/params.js';

const issue = (value: string) => domain.safeParse(value).error?.issues[0]?.message;

describe('the one domain schema of every site playbook and short form', () => {
  it.each(['1.2.3.4', '10.0.0.1', '::1', '2001:db8::1', '[2001:db8::1]', '[::ffff:1.2.3.4]', '999.1.1.1', '1.2.3'])(
    'rejects the IP address %j as an IP address',
    (value) => {
      expect(issue(value)).toBe('must be a name, not an IP address');
      expect(hostname.safeParse(value).success).toBe(false);
    },
  );

  it.each([
    ['shop.example.com', 'shop.example.com'],
    ['Shop.Example.COM', 'shop.example.com'],
    ['shop.example.com.', 'shop.example.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['1.2.3.example.com', '1.2.3.example.com'],
    ['web-01.example.com', 'web-01.example.com'],
  ])('accepts %j as %j', (value, want) => {
    expect(domain.parse(value)).toBe(want);
  });

  it.each([
    ['shop.example.com..', /hostname/],
    ['.example.com', /hostname/],
    ['a..example.com', /hostname/],
    ['-a.example.com', /hostname/],
    ['a-.example.com', /hostname/],
    [`${'a'.repeat(64)}.example.com`, /hostname/],
    [`${'a.'.repeat(127)}com`, /253/],
    ['localhost', /fully qualified/],
    ['.', /hostname/],
  ])('rejects %j', (value, why) => {
    expect(issue(value)).toMatch(why);
  });
});
