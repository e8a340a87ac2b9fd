import { randomBytes } from 'node:crypto';
import { joinArgv } from './quote.js';

/**
 * What a module asks a host to run: an argv (quoted only when a connection sends it) or a small
 * POSIX sh script built from quoted parts. Kept as data so it can be unit-tested and printed.
 */
export type Command = { readonly argv: readonly string[] } | { readonly script: string };

export const argv = (...args: string[]): Command => ({ argv: args });
export const script = (text: string): Command => ({ script: text });

export function toShell(cmd: Command): string {
  return 'argv' in cmd ? joinArgv(cmd.argv) : cmd.script;
}

/** The write step of a plan as one script that stops at the first failing command. */
export function chain(cmds: readonly Command[]): Command {
  return script(['set -e', ...cmds.map(toShell)].join('\n'));
}

/** A heredoc body marker that cannot occur in `content`. */
export function heredocMarker(content: string): string {
  for (;;) {
    const mark = `VSA_EOF_${randomBytes(6).toString('hex')}`;
    if (!content.includes(mark)) return mark;
  }
}

/** Shell text that writes `content` (any bytes) to stdout of `consumer`, without it ever being in argv. */
export function pipeContent(content: Buffer | string, consumer: string): string {
  const b64 = Buffer.from(content).toString('base64').replace(/.{1,76}/g, '$&\n');
  const mark = heredocMarker(b64);
  return `base64 -d <<'${mark}' | ${consumer}\n${b64}${mark}`;
}
