import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** The project root: the nearest folder above this code with a package.json (sources or dist/). */
export const projectRoot = ((): string => {
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/**
 * Where the project's code runs from: `dist/` when built, the project root when the sources run
 * directly (tests). Built-in playbooks are found under it.
 */
export const codeRoot = here.startsWith(join(projectRoot, 'dist') + sep) ? join(projectRoot, 'dist') : projectRoot;

export const packageVersion = (): string =>
  (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
