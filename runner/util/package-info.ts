import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root: two levels up from sources, three from `dist/`. */
export const projectRoot = fileURLToPath(
  [new URL('../../', import.meta.url), new URL('../../../', import.meta.url)].find((u) =>
    existsSync(new URL('package.json', u)),
  )!,
);

export const packageVersion = (): string =>
  (JSON.parse(readFileSync(`${projectRoot}/package.json`, 'utf8')) as { version: string }).version;
