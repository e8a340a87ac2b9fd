import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import type { CodeBlock } from './markdown-blocks.js';

/**
 * Where a block is checked: a first line `// path/to/file.ts` places it there (so its relative
 * imports resolve as in that file); otherwise it sits in docs/ beside the page.
 */
export function blockPath(block: CodeBlock): string {
  const named = /^\/\/\s*([\w./-]+\.tsx?)\s*$/.exec(block.code.split('\n')[0] ?? '');
  if (named) return resolve(named[1]!);
  return resolve(block.doc.replace(/\.md$/, `.L${block.line}.ts`));
}

/** Type-checks the blocks as files of the project (its tsconfig), in memory; returns one line per error. */
export function typeCheckBlocks(blocks: CodeBlock[], tsconfig = 'tsconfig.json'): Map<CodeBlock, string[]> {
  const config = ts.readConfigFile(tsconfig, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, resolve('.'));
  const files = new Map(blocks.map((b) => [blockPath(b), b]));
  for (const path of files.keys()) {
    if (existsSync(path)) throw new Error(`a docs block names ${path}, which exists: name a new file`);
  }
  const host = ts.createCompilerHost({ ...parsed.options, noEmit: true });
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => files.get(resolve(f))?.code ?? readFile(f);
  host.fileExists = (f) => files.has(resolve(f)) || fileExists(f);
  const program = ts.createProgram([...files.keys()], { ...parsed.options, noEmit: true }, host);
  const out = new Map<CodeBlock, string[]>();
  for (const [path, block] of files) {
    const sf = program.getSourceFile(path)!;
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    out.set(
      block,
      diags.map((d) => {
        const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
        return `${block.doc}:${block.line + line} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      }),
    );
  }
  return out;
}
