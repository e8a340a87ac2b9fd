import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../runner/errors.js';
import { projectRoot } from '../runner/util/package-info.js';

export interface TypeCheckResult {
  ok: boolean;
  /** tsc's own report: `file(line,col): error TSnnnn: …`, one per problem. */
  report: string;
}

/**
 * The types `import … from 'vsa'` gets: the built declarations of the package when they are there
 * (an installed vsa), the sources otherwise (a checkout). Mapped explicitly, so a playbook is
 * checked against the vsa that would run it, wherever the file sits.
 */
function vsaTypes(): { entry: string; built: boolean } {
  const built = join(projectRoot, 'dist', 'index.d.ts');
  return existsSync(built) ? { entry: built, built: true } : { entry: join(projectRoot, 'index.ts'), built: false };
}

/**
 * Type-checks a playbook file against vsa's types with the TypeScript compiler, as strict as vsa's
 * own code; nothing is emitted and the playbook does not run.
 */
export async function typeCheckPlaybook(file: string): Promise<TypeCheckResult> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`playbook file not found: ${file}`);
  const ts = (await import('typescript')).default;
  const vsa = vsaTypes();
  const options: import('typescript').CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    // The declarations need no @types package; the sources (a checkout) need Node's, which it has.
    types: vsa.built ? [] : ['node'],
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    paths: { vsa: [vsa.entry] },
  };
  const program = ts.createProgram([path], options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const report = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n',
  });
  return { ok: diagnostics.length === 0, report };
}
