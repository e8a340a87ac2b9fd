import type { ComposeFile } from './compose-schema.js';
import type { Finding } from './types.js';
import type { YamlSource } from './yaml-source.js';

/** `network_mode` values that join no network by name. */
const NO_NETWORK = /^(?:host|none|bridge|default|container:.*|service:.*)$/;

/**
 * What the proxy-network name checks cannot see, refused (rule `compose-file`, never skipped):
 * a name on a network is checked as written, so a variable in one (`${CN:-shop-web}`), a file
 * merged in by `extends: {file}` or `include:`, or `network_mode` naming a network would put names
 * on flowbiz_ext that `stack up` never compared with other tenants' containers and sites.
 */
export function nameFindings(file: string, compose: ComposeFile, source: YamlSource): Finding[] {
  const out: Finding[] = [];
  const at = (path: PropertyKey[], message: string) =>
    out.push({ file, line: source.lineOf(path), rule: 'compose-file', message });
  const variable = (v: unknown) => typeof v === 'string' && v.includes('$');
  const raw = compose as Record<string, unknown>;

  if (raw.include !== undefined) at(['include'], 'include: merges files the name checks do not read; put the services in this file');
  for (const [name, svc] of Object.entries(compose.services)) {
    const s = svc as Record<string, unknown>;
    const path = ['services', name];
    const ext = s.extends as { file?: unknown } | undefined;
    if (ext && typeof ext === 'object' && ext.file !== undefined)
      at([...path, 'extends'], `service "${name}" extends a service of another file, which the name checks do not read; write it out here`);
    if (variable(s.container_name))
      at([...path, 'container_name'], `service "${name}": container_name must be written out, not a variable (${String(s.container_name)})`);
    if (typeof s.network_mode === 'string' && !NO_NETWORK.test(s.network_mode))
      at([...path, 'network_mode'], `service "${name}": network_mode ${s.network_mode} joins a network outside the name checks; use networks:`);
    if (svc.networks && !Array.isArray(svc.networks)) {
      for (const [net, def] of Object.entries(svc.networks)) {
        const aliases = (def as { aliases?: unknown } | null)?.aliases;
        if (Array.isArray(aliases) && aliases.some(variable))
          at([...path, 'networks', net, 'aliases'], `service "${name}": aliases on ${net} must be written out, not variables`);
      }
    }
  }
  for (const [key, def] of Object.entries(compose.networks ?? {})) {
    const external = def?.external;
    const named = [def?.name, typeof external === 'object' ? external.name : undefined];
    if (named.some(variable)) at(['networks', key], `network ${key}: its name must be written out, not a variable`);
  }
  return out;
}
