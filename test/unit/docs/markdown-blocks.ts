import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fenced code block of a markdown file, with the line its first content line is on. */
export interface CodeBlock {
  doc: string;
  lang: string;
  line: number;
  code: string;
}

export const DOCS_DIR = 'docs';

export function docFiles(dir = DOCS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(dir, f));
}

export function codeBlocks(doc: string, text = readFileSync(doc, 'utf8')): CodeBlock[] {
  const out: CodeBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence)) body.push(lines[j++]!);
    out.push({ doc, lang: open[3]!, line: i + 2, code: body.join('\n') });
    i = j;
  }
  return out;
}

/** `vsa …` command lines of a shell block: continuations joined, one entry per `vsa` invocation. */
export function vsaCommands(code: string): string[] {
  const joined = code.replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.replace(/^\s*\$\s+/, ''))
    .flatMap((l) => l.split(/\s*(?:&&|\|\||;|\|)\s*/))
    .map((s) =>
      s.trim().replace(/^(?:npx\s+|node\s+bin\/vsa\.js\b\s*)/, (m) => (m.startsWith('node') ? 'vsa ' : '')),
    )
    .filter((s) => /^vsa(\s|$)/.test(s));
}

/** Shell words of one command, quotes removed, up to a redirection or comment. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  for (const m of command.matchAll(re)) {
    const word = m[1] ?? m[2] ?? m[3]!;
    if (m[3] && /^(#|[0-9]*[<>])/.test(m[3])) break;
    words.push(word);
  }
  return words;
}

/** The markdown text under a heading, up to the next heading of any level. */
export function sections(text: string): { heading: string; level: number; body: string }[] {
  const out: { heading: string; level: number; body: string }[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    const h = inFence ? null : /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) out.push({ heading: h[2]!, level: h[1]!.length, body: '' });
    else if (out.length) out[out.length - 1]!.body += `${line}\n`;
  }
  return out;
}
