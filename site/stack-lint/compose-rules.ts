import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ComposeFile, ComposeService } from './compose-schema.js';
import { serviceEnvFiles, serviceNetworks } from './compose-schema.js';
import { containerPort, DB_PORTS, looksLikeDatabase } from './db-ports.js';
import type { Finding, RuleId } from './types.js';
import type { YamlSource } from './yaml-source.js';
import { PROXY_NETWORK } from '../paths.js';

export const RESTART_POLICY = 'unless-stopped';
const STACK_ENV = 'env/.env';

export interface ComposeContext {
  stack: string;
  stackDir: string;
  file: string;
  compose: ComposeFile;
  source: YamlSource;
}

/** The per-service and network gates of one compose file. */
export function composeFindings(ctx: ComposeContext): Finding[] {
  const out: Finding[] = [];
  const at = (path: PropertyKey[], rule: RuleId, message: string) =>
    out.push({ file: ctx.file, line: ctx.source.lineOf(path), rule, message });
  const localNet = `${ctx.stack}-net`;

  for (const [name, svc] of Object.entries(ctx.compose.services)) {
    const path = ['services', name];
    if (!hasHealthcheck(svc, ctx.stackDir)) at(path, 'healthcheck', `service "${name}" has no healthcheck`);
    if (svc.restart !== RESTART_POLICY) {
      at(
        svc.restart ? [...path, 'restart'] : path,
        'restart-policy',
        `service "${name}" must have restart: ${RESTART_POLICY}${svc.restart ? ` (has ${svc.restart})` : ''}`,
      );
    }
    const db = looksLikeDatabase(svc.image);
    (svc.ports ?? []).forEach((spec, i) => {
      const port = containerPort(spec);
      if (db || (port !== undefined && DB_PORTS.has(port))) {
        at(
          [...path, 'ports', i],
          'db-port',
          `service "${name}" publishes database port ${port ?? String(spec)}`,
        );
      }
    });
    serviceEnvFiles(svc).forEach((f, i) => {
      const problem = envFileProblem(f, ctx.stackDir);
      const where = typeof svc.env_file === 'string' ? [...path, 'env_file'] : [...path, 'env_file', i];
      if (problem) at(where, 'env-file', `service "${name}" env_file ${f}: ${problem}`);
    });
    const nets = serviceNetworks(svc);
    const netsPath = svc.networks ? [...path, 'networks'] : path;
    if (!nets.includes(localNet))
      at(netsPath, 'network-local', `service "${name}" does not join ${localNet}`);
    if (db && nets.includes(PROXY_NETWORK)) {
      at(
        netsPath,
        'network-external',
        `database service "${name}" joins ${PROXY_NETWORK}: keep it on ${localNet} only`,
      );
    }
  }
  out.push(...networkDeclarations(ctx, localNet));
  return out;
}

function networkDeclarations(ctx: ComposeContext, localNet: string): Finding[] {
  const out: Finding[] = [];
  const at = (path: PropertyKey[], rule: RuleId, message: string) =>
    out.push({ file: ctx.file, line: ctx.source.lineOf(path), rule, message });
  const nets = ctx.compose.networks ?? {};
  const ext = nets[PROXY_NETWORK];
  if (!(PROXY_NETWORK in nets))
    at(['networks'], 'network-external', `${PROXY_NETWORK} is not declared under networks`);
  else if (!ext?.external)
    at(
      ['networks', PROXY_NETWORK],
      'network-external',
      `${PROXY_NETWORK} must be external: true (the shared proxy network)`,
    );
  const joined = Object.values(ctx.compose.services).some((s) => serviceNetworks(s).includes(PROXY_NETWORK));
  if (!joined)
    at(
      ['services'],
      'network-external',
      `no service joins ${PROXY_NETWORK}, so the reverse proxy cannot reach the stack`,
    );
  if (!(localNet in nets)) at(['networks'], 'network-local', `${localNet} is not declared under networks`);
  else if (nets[localNet]?.external)
    at(['networks', localNet], 'network-local', `${localNet} belongs to the stack: it must not be external`);
  return out;
}

/**
 * On the host a stack is its directory as uploaded, except `.env`, which goes to `env/.env`
 * (mode 0640, outside what the release records): an env_file must be that or a file uploaded.
 */
export function envFileProblem(file: string, stackDir: string): string | undefined {
  const rel = file.replace(/^(\.\/)+/, '');
  if (rel === STACK_ENV) return undefined;
  if (rel === '.env') return `stack up uploads .env as ${STACK_ENV}: name that`;
  if (isAbsolute(rel) || rel.startsWith('../')) return `outside the stack directory, so not uploaded with it: use ${STACK_ENV}`;
  if (!existsSync(join(stackDir, rel))) return `not in the stack directory, so not on the host after stack up: use ${STACK_ENV}`;
  return undefined;
}

/** A healthcheck in compose, or (for a built image) a HEALTHCHECK instruction in its Dockerfile. */
function hasHealthcheck(svc: ComposeService, stackDir: string): boolean {
  const hc = svc.healthcheck;
  if (hc) {
    const test = Array.isArray(hc.test) ? hc.test[0] : hc.test;
    return hc.disable !== true && test !== undefined && test !== 'NONE';
  }
  if (!svc.build) return false;
  const context = typeof svc.build === 'string' ? svc.build : svc.build.context;
  const dockerfile = join(
    stackDir,
    context,
    (typeof svc.build === 'object' && svc.build.dockerfile) || 'Dockerfile',
  );
  if (!existsSync(dockerfile)) return false;
  return /^\s*HEALTHCHECK\s+(?!NONE\b)/im.test(readFileSync(dockerfile, 'utf8'));
}
