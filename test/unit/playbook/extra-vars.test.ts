import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseExtraVars } from '../../../runner/playbook/extra-vars.js';
import { describeParams, validateParams } from '../../../runner/playbook/params.js';
import { definePlaybook } from '../../../runner/playbook/define.js';

describe('parseExtraVars', () => {
  it('takes key=value, several pairs in one -e, JSON and @file, later ones winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsa-ev-'));
    writeFileSync(join(dir, 'v.yml'), 'port: 3000\ndomain: from-file.test\n');
    const vars = await parseExtraVars(['domain=a.test', 'x=1 y=two words', `@${join(dir, 'v.yml')}`, '{"flag": true}']);
    expect(vars).toEqual({ domain: 'from-file.test', x: '1', y: 'two words', port: 3000, flag: true });
  });
  it('keeps = signs inside values', async () => {
    expect(await parseExtraVars(['q=a=b'])).toEqual({ q: 'a=b' });
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
