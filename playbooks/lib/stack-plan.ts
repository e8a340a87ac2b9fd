import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CANDIDATES } from '../../modules/docker-compose-scripts.js';
import type { DockerComposeParams } from '../../modules/docker-compose.js';
import { parseEnvFile } from '../../site/stack-lint/env-example.js';
import type { StackSource } from './stack-files.js';

type Planned = NonNullable<DockerComposeParams['planned']>;

/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$VAR` filled in as Compose does, from the
 * stack's `.env`; `$$` is a dollar sign.
 */
export function interpolate(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_]\w*)(?:(:?)-([^}]*))?\}|\$([A-Za-z_]\w*)/g, (whole, name, colon, fallback, bare) => {
    if (whole === '$$') return '$';
    const value = env.get((name ?? bare) as string);
    if (fallback === undefined) return value ?? '';
    return value === undefined || (colon === ':' && value === '') ? (fallback as string) : value;
  });
}

/**
 * What the host will hold once the stack is uploaded, for docker_compose's check mode: the compose
 * file `up` picks (the first of Compose's names) and the images its services name, filled in from
 * the stack's `.env` as the host's env file will fill them.
 */
export function plannedCompose(source: StackSource): Omit<Planned, 'envChanged'> | undefined {
  const name = CANDIDATES.find((c) => source.files.includes(c));
  if (!name) return undefined;
  const content = readFileSync(join(source.root, name), 'utf8');
  const env = new Map(source.envFile ? parseEnvFile(readFileSync(source.envFile, 'utf8')).map((e) => [e.key, e.value]) : []);
  const doc = parseYaml(content) as { services?: Record<string, { image?: unknown } | null> } | null;
  const images = Object.values(doc?.services ?? {}).flatMap((svc) =>
    typeof svc?.image === 'string' ? [interpolate(svc.image, env)] : [],
  );
  return { files: [{ name, content }], images: [...new Set(images)].filter((i) => i && !i.includes('\n')) };
}

/** The release a stack's upload is on its host: a hash of its files' names and bytes (its `.env` not among them). */
export function releaseOf(source: StackSource): string {
  const h = createHash('sha256');
  for (const f of source.files) h.update(`${f}\0`).update(readFileSync(join(source.root, f))).update('\0');
  return h.digest('hex').slice(0, 12);
}
