// Builds dist/: the CLI, the public `vsa` entry and every built-in playbook as one esbuild build
// with shared chunks (ADR 0006). One build keeps one copy of each module, so a user's playbook
// that imports `vsa` shares zod, the runner and the modules with the CLI that loads it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { build } from 'esbuild';

// Pure-JS libraries on every run's path are bundled: loading one file beats resolving hundreds.
// Everything else stays a package import: native code (better-sqlite3, ssh2's optional crypto),
// tools that find their own files at run time (tsx, esbuild, zx), and libraries only some
// commands load on demand (the dashboard's fastify, nunjucks, diff, bcryptjs).
const BUNDLED = new Set(['zod', 'yaml', 'commander', 'picomatch', 'listr2']);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d));

const playbooks = readdirSync('playbooks')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => `playbooks/${f}`);

// zod re-exports its 60-odd locales as `z.locales`, which keeps all of them (half of zod's 750 KB)
// in the chunk every run compiles. vsa's messages are English, the locale zod itself falls back to:
// `z.locales` holds only `en` in the build.
const englishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]zod[\\/]v4[\\/]/.test(a.importer) ? { path: join(dirname(a.importer), '../locales/en.js'), namespace: 'zod-en' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (a) => ({
      contents: `export { default as en } from ${JSON.stringify(a.path)};`,
      resolveDir: dirname(a.path),
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['cli/main.ts', 'index.ts', ...playbooks],
  outdir: 'dist',
  outbase: '.',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: external.flatMap((d) => [d, `${d}/*`]),
  // Bundled CommonJS (commander) calls require() for Node's own modules.
  banner: { js: "import { createRequire as __vsaRequire } from 'node:module'; const require = __vsaRequire(import.meta.url);" },
  plugins: [englishOnly],
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The public entry's types as declarations (dist/index.d.ts and what it imports), so a user's
// `tsc` and `vsa check` read vsa's types without its sources or their @types packages.
const types = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.types.json'], {
  stdio: 'inherit',
});
if (types.status !== 0) process.exit(types.status ?? 1);
