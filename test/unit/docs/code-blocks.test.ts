import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../cli/main.js';
import { checkCommandLine, commandPaths } from './cli-check.js';
import {
  codeBlocks,
  docFiles,
  sections,
  shellWords,
  vsaCommands,
  type CodeBlock,
} from './markdown-blocks.js';
import { typeCheckBlocks } from './type-check.js';

const program = buildProgram();
const blocks = docFiles().flatMap((doc) => codeBlocks(doc));
const isTs = (b: CodeBlock) => b.lang === 'ts' || b.lang === 'typescript';
const tsBlocks = blocks.filter(isTs);
const shBlocks = blocks.filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang));

describe('docs code blocks stay true', () => {
  it('every ```ts block type-checks against the project', { timeout: 120_000 }, () => {
    expect(tsBlocks.length).toBeGreaterThan(3);
    const errors = [...typeCheckBlocks(tsBlocks).values()].flat();
    expect(errors).toEqual([]);
  });

  it('the type check catches a wrong call', () => {
    const bad: CodeBlock = {
      doc: 'docs/bad-example.md',
      lang: 'ts',
      line: 1,
      code: "import { definePlaybook } from '../runner/playbook/define.js';\ndefinePlaybook({ name: 1 });\n",
    };
    expect(typeCheckBlocks([bad]).get(bad)!.length).toBeGreaterThan(0);
  });

  it('every `vsa …` in a shell block names a real command with real options', () => {
    const problems = shBlocks.flatMap((b) =>
      vsaCommands(b.code).flatMap((line) =>
        checkCommandLine(program, shellWords(line)).map((p) => `${b.doc}:${b.line} ${line}: ${p}`),
      ),
    );
    expect(shBlocks.flatMap((b) => vsaCommands(b.code)).length).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });

  it('the command check catches a wrong subcommand and a wrong option', () => {
    expect(checkCommandLine(program, shellWords('vsa site provison --domain x'))).toEqual([
      'no command "provison" under "site"',
    ]);
    expect(checkCommandLine(program, shellWords('vsa run demo --frobnicate'))).toEqual([
      '"run" has no option --frobnicate',
    ]);
    expect(
      checkCommandLine(program, shellWords("vsa run demo -CD -e 'a=1' --limit 'web:!x' > out.jsonl --nope")),
    ).toEqual([]);
  });

  it('docs/cli.md has a section for every command, naming each of its options', () => {
    const cli = sections(readFileSync('docs/cli.md', 'utf8'));
    const runFlags = cli.find((s) => s.heading === 'Run flags')!.body;
    const missing: string[] = [];
    for (const { path, command } of commandPaths(program)) {
      const title = `\`vsa ${path.join(' ')}\``;
      const section = cli.find((s) => s.heading === title);
      if (!section) {
        missing.push(`no section ${title}`);
        continue;
      }
      const usesRunFlags = section.body.includes('(#run-flags)');
      for (const o of command.options) {
        const flag = o.long ?? o.short!;
        if (
          section.body.includes(`\`${flag}`) ||
          section.body.includes(`${flag} `) ||
          (usesRunFlags && runFlags.includes(flag))
        )
          continue;
        missing.push(`${title} does not mention ${flag}`);
      }
    }
    expect(commandPaths(program).length).toBeGreaterThan(25);
    expect(missing).toEqual([]);
  });
});
