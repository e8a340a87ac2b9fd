import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader, Plugin } from 'esbuild';
import { sha256 } from '../util/sha256.js';

/** A playbook file compiled to one ES module, and what it was made of. */
export interface CompiledPlaybook {
  code: string;
  /** Every local file bundled in, with the hash of the content that was compiled. */
  inputs: { path: string; sha256: string }[];
  /** The packages it imports, resolved to files: they are imported from there, not bundled. */
  externals: string[];
}

const loaders: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
};

/**
 * Compiles a playbook and the local files it imports into one ES module that runs from anywhere
 * (the cache): packages stay imports, by the absolute file they resolve to from the playbook, so
 * the playbook still gets the CLI's own `vsa` (one zod, one set of error classes); each file keeps
 * its own `import.meta.url`, `__dirname` and `__filename`, which playbooks use to find files
 * beside them. TypeScript that Node cannot load (a package's .ts, a path alias) is bundled.
 */
export async function compilePlaybook(file: string): Promise<CompiledPlaybook> {
  const esbuild = await import('esbuild');
  const inputs: CompiledPlaybook['inputs'] = [];
  const externals = new Set<string>();
  const plugin: Plugin = {
    name: 'vsa-playbook',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        });
        if (r.errors.length > 0 || r.external || /\.[cm]?tsx?$/.test(r.path)) return r;
        externals.add(r.path);
        return { path: args.kind === 'require-call' ? r.path : pathToFileURL(r.path).href, external: true };
      });
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const bytes = await readFile(args.path);
        inputs.push({ path: args.path, sha256: sha256(bytes) });
        const source = bytes.toString('utf8');
        const url = pathToFileURL(args.path).href;
        const here = {
          'import.meta.url': JSON.stringify(url),
          'import.meta.filename': JSON.stringify(args.path),
          'import.meta.dirname': JSON.stringify(dirname(args.path)),
          __filename: JSON.stringify(args.path),
          __dirname: JSON.stringify(dirname(args.path)),
        };
        const loader = loaders[extname(args.path)] ?? 'js';
        try {
          const out = await esbuild.transform(source, { loader, define: here, sourcefile: args.path, sourcemap: 'inline' });
          return { contents: out.code, loader: 'js' };
        } catch (err) {
          return { errors: (err as { errors?: import('esbuild').PartialMessage[] }).errors ?? [{ text: String(err) }] };
        }
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [file],
    absWorkingDir: dirname(file),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    // The map's sources are relative to the playbook's folder, not to the cache that holds the output.
    sourceRoot: `${pathToFileURL(dirname(file)).href}/`,
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [plugin],
    // A CommonJS-style playbook's require() of a package: by the absolute path resolved above.
    banner: { js: "import { createRequire as __vsaRequire } from 'node:module'; const require = __vsaRequire(import.meta.url);" },
  });
  return { code: result.outputFiles[0]!.text, inputs, externals: [...externals].sort() };
}
