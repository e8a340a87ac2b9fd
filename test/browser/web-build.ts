import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = fileURLToPath(new URL('../../dashboard/web/', import.meta.url));
export const webRoot = join(webDir, 'dist');

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) => {
      const p = join(dir, e.name);
      return e.isDirectory() ? newest(p) : statSync(p).mtimeMs;
    }),
  );
}

/**
 * Builds the web app with the production config when `dist` is missing or older than the sources,
 * so the browser tests always drive what `vsa dashboard` would serve.
 */
export async function ensureWebBuild(): Promise<void> {
  const index = join(webRoot, 'index.html');
  const sources = Math.max(newest(join(webDir, 'src')), statSync(join(webDir, 'index.html')).mtimeMs, statSync(join(webDir, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
}
