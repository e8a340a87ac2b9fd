import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseExtraVars } from '../../../runner/playbook/extra-vars.js';
import { checkParamNames, describeParams, secretParamEnv, validateParams } from '../../../runner/playbook/params.js';
import { ParamsError } from '../../../runner/errors.js';
import { definePlaybook } from '../../../runner/playbook/define.js';

describe('parseExtraVars', () => {
  it('takes key=value, several pairs in one -e, JSON and @file, later ones winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsa-ev-'));
    writeFileSync(join(dir, 'v.yml'), 'port: 3000\ndomain: from-file.test\n');
    const { vars, onCommandLine } = await parseExtraVars(['domain=a.test', 'x=1 y=two words', `@${join(dir, 'v.yml')}`, '{"flag": true}']);
    expect(vars).toEqual({ domain: 'from-file.test', x: '1', y: 'two words', port: 3000, flag: true });
    // domain was overridden by the file: its value is no longer the one on the command line.
    expect([...onCommandLine].sort()).toEqual(['flag', 'x', 'y']);
  });
  it('keeps = signs inside values', async () => {
    expect((await parseExtraVars(['q=a=b'])).vars).toEqual({ q: 'a=b' });
  });
  it('names the problem with bad input', async () => {
    await expect(parseExtraVars(['novalue'])).rejects.toThrow(/expected key=value/);
    await expect(parseExtraVars(['@/nonexistent/vars.yml'])).rejects.toThrow(/cannot read the file \(ENOENT\)/);
    await expect(parseExtraVars(['{"a": 1'])).rejects.toThrow(/not valid YAML\/JSON/);
    await expect(parseExtraVars(['[1, 2]'])).rejects.toThrow(/expected key=value/);
  });
});

const pb = definePlaybook({
  name: 'site',
  description: 'd',
  hosts: 'all',
  params: z.object({
    domain: z.string().regex(/^[a-z0-9.-]+$/).describe('the site domain'),
    port: z.coerce.number().int().min(1).max(65535),
    www: z.boolean().default(true),
    password: z.string().meta({ secret: true }).optional(),
  }),
  tasks: () => [],
});

describe('params', () => {
  it('validates and coerces, naming the field and rule on failure', () => {
    expect(validateParams(pb, { domain: 'a.test', port: '80' })).toEqual({ domain: 'a.test', port: 80, www: true });
    expect(() => validateParams(pb, { domain: 'a;rm -rf /', port: '80' })).toThrow(/invalid parameters for site: domain: /);
    expect(() => validateParams(pb, { domain: 'a.test', port: '70000' })).toThrow(/port: .*65535/);
    expect(() => validateParams(pb, { port: '1' })).toThrow(/domain: /);
  });
  it('describes parameters from the schema', () => {
    const d = describeParams(pb);
    expect(d.map((p) => [p.name, p.required])).toEqual([
      ['domain', true],
      ['port', true],
      ['www', false],
      ['password', false],
    ]);
    expect(d[0]!.description).toBe('the site domain');
    expect(d[2]!.default).toBe(true);
    expect(d[3]!.secret).toBe(true);
  });
});

describe('checkParamNames', () => {
  const none = new Set<string>();
  it('refuses a key the playbook does not take, naming the closest parameter', () => {
    expect(() => checkParamNames(pb, { domain: 'a.test', prot: '80' }, none)).toThrow(
      new ParamsError('site has no parameter "prot" (did you mean port?); its parameters: domain, port, www, password'),
    );
    expect(() => checkParamNames(pb, { domain: 'a.test', zzzzzz: '1' }, none)).toThrow(
      /no parameter "zzzzzz"; its parameters/,
    );
    expect(() => checkParamNames(pb, { domain: 'a.test', port: '80', www: false }, none)).not.toThrow();
  });
  it('matches across case, as in nowww for noWww', () => {
    const noWww = definePlaybook({ name: 'site', description: 'd', hosts: 'all', params: z.object({ noWww: z.boolean().optional() }), tasks: () => [] });
    expect(() => checkParamNames(noWww, { nowww: 'true' }, none)).toThrow(/"nowww" \(did you mean noWww\?\)/);
  });
  it('lets any key through when the schema keeps unknown keys', () => {
    const loose = definePlaybook({ name: 'site', description: 'd', hosts: 'all', params: z.looseObject({ a: z.string() }), tasks: () => [] });
    expect(() => checkParamNames(loose, { a: 'x', other: 'y' }, none)).not.toThrow();
  });
  it('refuses a secret written on the command line and points at the file, env and prompt ways', () => {
    expect(() => checkParamNames(pb, { domain: 'a.test', password: 'hunter2' }, new Set(['password']))).toThrow(
      new ParamsError(
        'password is a secret: not on the command line, where ps and shell history see it; give it in a file (-e @vars.yml), in VSA_PARAM_PASSWORD, or leave it out to be prompted on a terminal',
      ),
    );
    // The same key from `-e @file` is fine.
    expect(() => checkParamNames(pb, { domain: 'a.test', password: 'hunter2' }, none)).not.toThrow();
  });
  it('names the environment variable of a camelCase param', () => {
    expect(secretParamEnv('apiToken')).toBe('VSA_PARAM_API_TOKEN');
  });
});
