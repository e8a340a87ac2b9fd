import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintStack } from '../../../site/stack-lint/lint-stack.js';
import { composeFile } from '../../../site/stack-lint/compose-schema.js';
import { nameFindings } from '../../../site/stack-lint/name-rules.js';
import { parseYamlSource } from '../../../site/stack-lint/yaml-source.js';

const findings = (yaml: string) => {
  const source = parseYamlSource(yaml);
  return nameFindings('compose.yml', composeFile.parse(source.data), source).map((f) => `${f.line} ${f.rule} ${f.message}`);
};

describe('names the proxy-network checks cannot see are refused', () => {
  it('a variable in a container_name, an alias or a network name', () => {
    const yaml = [
      'services:',
      '  web:',
      '    container_name: "${CN:-shop-web}"',
      '    networks:',
      '      flowbiz_ext: { aliases: ["${AL:-shop-api}"] }',
      'networks:',
      '  flowbiz_ext: { external: true }',
      '  proxy: { external: true, name: "${NET:-flowbiz_ext}" }',
      '  old: { external: { name: "$OLD" } }',
    ].join('\n');
    expect(findings(yaml)).toEqual([
      '3 compose-file service "web": container_name must be written out, not a variable (${CN:-shop-web})',
      '5 compose-file service "web": aliases on flowbiz_ext must be written out, not variables',
      '8 compose-file network proxy: its name must be written out, not a variable',
      '9 compose-file network old: its name must be written out, not a variable',
    ]);
  });

  it('extends of another file, include, and network_mode naming a network; not extends within the file or container modes', () => {
    const yaml = [
      'include: [extra.yml]',
      'services:',
      '  web: { extends: { file: base.yml, service: web } }',
      '  twin: { extends: { service: web } }',
      '  x: { network_mode: flowbiz_ext }',
      '  y: { network_mode: "service:web" }',
      '  z: { network_mode: host }',
    ].join('\n');
    expect(findings(yaml)).toEqual([
      '1 compose-file include: merges files the name checks do not read; put the services in this file',
      '3 compose-file service "web" extends a service of another file, which the name checks do not read; write it out here',
      '5 compose-file service "x": network_mode flowbiz_ext joins a network outside the name checks; use networks:',
    ]);
  });

  it('names written out pass', () => {
    expect(findings('services:\n  web:\n    container_name: shop-web\n    networks:\n      flowbiz_ext: { aliases: [shop] }\nnetworks:\n  flowbiz_ext: { external: true }\n')).toEqual([]);
  });
});

describe('the compose file stack lint reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsa-lint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the one the engine runs (compose.yaml before compose.yml), and two of them are refused', () => {
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'compose.yml'), 'services:\n  web: { image: x }\n');
    writeFileSync(join(dir, 'a', 'compose.yaml'), 'services:\n  shop-web: { image: x }\n');
    const r = lintStack(dir, 'a');
    expect(Object.keys(r.compose!.services)).toEqual(['shop-web']);
    expect(r.findings.filter((f) => f.rule === 'compose-file').map((f) => f.message)).toEqual([
      'stack a has 2 compose files (compose.yaml, compose.yml); the engine runs compose.yaml: keep one',
    ]);
  });
});
