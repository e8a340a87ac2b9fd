import { describe, expect, it } from 'vitest';
import { ParamsError } from '../../../runner/errors.js';
import { describeParams, validateParams } from '../../../runner/playbook/params.js';
import addAuth from '../../../playbooks/add-auth.js';
import provisionSite from '../../../playbooks/provision-site.js';
import renewCerts from '../../../playbooks/renew-certs.js';
import stackNew from '../../../playbooks/stack-new.js';
import stackUp from '../../../playbooks/stack-up.js';
import unprovisionSite from '../../../playbooks/unprovision-site.js';

const invalid = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ParamsError);
    return (err as Error).message;
  }
  throw new Error('expected a ParamsError');
};

describe('playbook params', () => {
  it.each([
    'shop.example.com;rm -rf /',
    'shop.example.com $(id)',
    "a.com'",
    'a.com/x',
    '-x.example.com',
    'localhost',
    'a b.com',
    '1.2.3.4',
    '[2001:db8::1]',
  ])('rejects the domain %j, naming the field', (domain) => {
    const msg = invalid(() => validateParams(provisionSite, { domain, container: 'shop', port: '3000' }));
    expect(msg).toMatch(/^invalid parameters for provision-site: domain: /);
  });

  it('lower-cases domains and coerces ports from -e strings', () => {
    const p = validateParams(provisionSite, { domain: 'Shop.Example.COM', container: 'shop', port: '3000' });
    expect(p).toMatchObject({ domain: 'shop.example.com', port: 3000, noWww: false, detect: false });
  });

  it.each(['0x50', '8e1', '0b1010000', ' 80', '80 ', ''])('rejects the port %j: a whole number is decimal digits', (port) => {
    expect(
      invalid(() => validateParams(provisionSite, { domain: 'a.example.com', container: 'c', port })),
    ).toMatch(/port: must be a whole number in decimal digits/);
  });

  it('still shows the default of a port param (stack-new: 80)', () => {
    expect(describeParams(stackNew).find((p) => p.name === 'port')).toMatchObject({ type: 'integer', default: 80 });
  });

  it.each(['0', '65536', '80.5', 'http'])('rejects the port %j', (port) => {
    expect(
      invalid(() => validateParams(provisionSite, { domain: 'a.example.com', container: 'c', port })),
    ).toMatch(/port: /);
  });

  it('needs container and port unless an external port is given; detect needs both', () => {
    expect(invalid(() => validateParams(provisionSite, { domain: 'a.example.com' }))).toMatch(
      /container: is required.*port: is required/,
    );
    expect(validateParams(provisionSite, { domain: 'a.example.com', externalPort: '8081' })).toMatchObject({
      externalPort: 8081,
    });
    expect(
      invalid(() =>
        validateParams(provisionSite, { domain: 'a.example.com', detect: 'true', externalPort: 8081 }),
      ),
    ).toMatch(/container: is required with detect/);
  });

  it('reads booleans from -e strings without treating "false" as true', () => {
    expect(
      validateParams(provisionSite, { domain: 'a.example.com', container: 'c', port: 1, noWww: 'false' }),
    ).toMatchObject({ noWww: false });
    expect(validateParams(unprovisionSite, { domain: 'a.example.com', removeCert: 'yes' })).toMatchObject({
      removeCert: true,
    });
    expect(invalid(() => validateParams(renewCerts, { force: 'maybe' }))).toMatch(/force: must be true or false/);
    expect(describeParams(provisionSite).find((p) => p.name === 'noWww')).toMatchObject({ type: 'boolean', default: false });
  });

  it('container names, users and stack names keep shell metacharacters out', () => {
    expect(
      invalid(() => validateParams(provisionSite, { domain: 'a.example.com', container: 'x;id', port: 1 })),
    ).toMatch(/container: /);
    expect(
      invalid(() => validateParams(addAuth, { domain: 'a.example.com', user: 'a:b', password: 'pw' })),
    ).toMatch(/user: /);
    expect(invalid(() => validateParams(stackNew, { name: '../etc' }))).toMatch(/name: /);
    expect(invalid(() => validateParams(stackUp, { name: 'demo', tenant: 'Acme Corp' }))).toMatch(/tenant: /);
  });

  it('bounds the stack-up wait (vsa stack up --timeout): at most a day', () => {
    expect(validateParams(stackUp, { name: 'demo', timeout: '86400' })).toMatchObject({ timeout: 86_400 });
    expect(invalid(() => validateParams(stackUp, { name: 'demo', timeout: '99999999999' }))).toBe(
      'invalid parameters for stack-up: timeout: Too big: expected number to be <=86400',
    );
  });

  it('marks the basic-auth password secret, so it is redacted everywhere', () => {
    const pw = describeParams(addAuth).find((p) => p.name === 'password');
    expect(pw).toMatchObject({ secret: true, required: true });
    expect(
      invalid(() => validateParams(addAuth, { domain: 'a.example.com', user: 'alice', password: '' })),
    ).toMatch(/password: /);
  });
});
