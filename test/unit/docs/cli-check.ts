import type { Command, Option } from 'commander';

/** Every command under `program` (the built-in `help` left out), as its path of names. */
export function commandPaths(program: Command): { path: string[]; command: Command }[] {
  const out: { path: string[]; command: Command }[] = [];
  const walk = (c: Command, path: string[]) => {
    for (const sub of c.commands) {
      if (sub.name() === 'help') continue;
      out.push({ path: [...path, sub.name()], command: sub });
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return out;
}

const findOption = (cmds: Command[], flag: string): Option | undefined =>
  cmds.flatMap((c) => c.options).find((o) => o.long === flag || o.short === flag);

/**
 * Checks a `vsa …` command line against the real program: the subcommands exist and every option
 * is one that command (or the program) takes. Returns the problems, empty when it is valid.
 */
export function checkCommandLine(program: Command, words: string[]): string[] {
  const problems: string[] = [];
  let cmd = program;
  let i = 1;
  for (; i < words.length && !words[i]!.startsWith('-'); i++) {
    const sub = cmd.commands.find((c) => c.name() === words[i] || c.aliases().includes(words[i]!));
    if (!sub) {
      if (cmd.commands.length > 0 && cmd.registeredArguments.length === 0)
        return [`no command "${words[i]}" under "${cmd.name()}"`];
      break;
    }
    cmd = sub;
  }
  const scope = [cmd, program];
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w === '-' || /^-\d/.test(w)) continue;
    if (w === '--') break;
    if (w === '-h' || w === '--help' || w === '--verbose') continue;
    const flags = w.startsWith('--') ? [w.split('=')[0]!] : [...w.slice(1)].map((c) => `-${c}`);
    for (const flag of flags) {
      const opt = findOption(scope, flag);
      if (!opt) problems.push(`"${cmd.name()}" has no option ${flag}`);
      else if (w.includes('=') || flags.length > 1) continue;
      else if (opt.required || (opt.optional && words[i + 1] !== undefined && !words[i + 1]!.startsWith('-')))
        i++;
    }
  }
  return problems;
}
