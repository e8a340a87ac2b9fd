import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderDefaultServers, renderHttpContext, renderSecurityHeaders } from '../../../site/vhost.js';
import { lintStacks } from '../../../site/stack-lint/index.js';

const OWN = ['dify', 'llm-gateway', 'observability', 'reverse-proxy', 'templates'];

describe('the shipped stacks and vhost templates', () => {
  it('pass every gate', () => {
    const r = lintStacks({ names: OWN });
    expect(r.findings).toEqual([]);
    expect(r.vhostFiles).toContain('templates/nginx/https-vhost.conf.njk');
    expect(r.vhostFiles).toContain('stacks/reverse-proxy/nginx/snippets/security_headers.conf');
  });

  it('every stack under stacks/ passes, whoever ships it', () => {
    expect(lintStacks().findings).toEqual([]);
  });

  it('the reverse proxy serves exactly the headers, rate limit and default servers the playbooks render', () => {
    const read = (f: string) => readFileSync(`stacks/reverse-proxy/nginx/${f}`, 'utf8');
    expect(read('snippets/security_headers.conf')).toBe(renderSecurityHeaders());
    expect(read('conf.d/00-vsa.conf')).toBe(renderHttpContext());
    expect(read('conf.d/00-default.conf')).toBe(renderDefaultServers());
  });

  // Hosts without a registry load images from archives: every image must be overridable from .env.
  it.each(OWN)('%s: every image is ${VAR:-default} and the variable is in .env.example', (stack) => {
    const compose = parse(readFileSync(`stacks/${stack}/compose.yml`, 'utf8'), { merge: true }) as {
      services: Record<string, { image?: string }>;
    };
    const env = readFileSync(`stacks/${stack}/.env.example`, 'utf8');
    for (const [name, svc] of Object.entries(compose.services)) {
      const m = /^\$\{([A-Z_]+_IMAGE):-[^}]+\}$/.exec(svc.image ?? '');
      expect(m, `${stack}/${name}: ${svc.image}`).not.toBeNull();
      expect(env).toMatch(new RegExp(`^${m![1]}=`, 'm'));
    }
  });

  it('the observability dashboards are valid Grafana JSON with unique panel ids', () => {
    const dir = 'stacks/observability/grafana/dashboards';
    const files = readdirSync(dir);
    expect(files.sort()).toEqual(['vsa-certificates.json', 'vsa-runs.json']);
    for (const f of files) {
      const d = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as {
        uid: string;
        panels: { id: number; targets: { expr: string }[] }[];
      };
      expect(d.uid).toBe(f.replace('.json', ''));
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of d.panels) expect(p.targets[0]!.expr).toMatch(/vsa_|vsa-audit/);
    }
  });
});
