import { pipeContent, script, toShell, type Command } from '../../runner/shell/command.js';
import { quote } from '../../runner/shell/quote.js';

export interface WriteFileOptions {
  path: string;
  content: Buffer | string;
  /** Four octal digits; by default an existing file keeps its mode and a new one gets 0666 minus the umask. */
  mode?: string;
  /** By default an existing file keeps its owner and group; a new one belongs to the writing user. */
  owner?: string;
  group?: string;
  /** Keep the previous file as `PATH.<timestamp>~` (printed as `backup=PATH` on stdout). */
  backup?: boolean;
  /**
   * Runs with the new file in place. When it fails, the previous file is put back byte for byte
   * (same inode, owner, mode and mtime) — or the new one removed when there was none — and the
   * step exits 1 with the command's output on stderr.
   */
  validate?: Command;
  /** Write to a symbolic link's target. By default the link itself is replaced (Ansible's `follow: no`). */
  follow?: boolean;
}

/**
 * A sh script that replaces PATH atomically: the bytes go to a temp file in the same directory,
 * created 0600 by mktemp under a random name (never wider than the final mode, never a path
 * someone could plant first), given its owner and mode, then renamed over PATH. A symbolic link
 * at PATH is replaced by the file (rename does not follow it) and its target is neither read nor
 * changed, unless `follow` says to write to the target. Temp files are removed on any failure. It
 * runs in a subshell of its own (`set -e`), so several writes compose in one `chain()`.
 */
export function writeFileScript(o: WriteFileOptions): Command {
  const lines = [
    'set -e',
    `p=${quote(o.path)}`,
    ...(o.follow ? [`if [ -L "$p" ]; then p=$(readlink -f -- "$p"); fi`] : []),
    'd=$(dirname -- "$p")',
    'tmp= prev= b=',
    `trap 'rm -f -- \${tmp:+"$tmp"} \${prev:+"$prev"}' EXIT`,
    "trap 'exit 1' HUP INT TERM",
    // A hard link keeps the old inode (bytes, owner, mode, mtime) at no cost; cp -p where links
    // fail. Neither follows a link: a kept link is the link, not a copy of what it points to.
    'keep() { ln -f -- "$1" "$2" 2>/dev/null || cp -P -p -- "$1" "$2"; }',
    'tmp=$(umask 077; mktemp "$d/.vsa.XXXXXX")',
    pipeContent(o.content, 'cat > "$tmp"'),
    ...attributeLines(o),
  ];
  if (o.backup) {
    lines.push(`if [ -f "$p" ] || [ -L "$p" ]; then b="$p.$(date +%Y%m%dT%H%M%S)~"; keep "$p" "$b"; echo "backup=$b"; fi`);
  }
  if (o.validate) lines.push('if [ -e "$p" ] || [ -L "$p" ]; then prev=$(mktemp "$d/.vsa.XXXXXX"); keep "$p" "$prev"; fi');
  // -T: a link to a directory at PATH is replaced too, not taken as the directory to move into.
  lines.push('mv -f -T -- "$tmp" "$p"', 'tmp=');
  if (o.validate) {
    lines.push(
      `if ! out=$( (\n${toShell(o.validate)}\n) 2>&1 ); then`,
      '  if [ -n "$prev" ]; then mv -f -- "$prev" "$p"; prev=; else rm -f -- "$p"; fi',
      '  if [ -n "$b" ]; then rm -f -- "$b"; fi',
      `  printf '%s\\n' "$out" >&2`,
      '  exit 1',
      'fi',
    );
  }
  return script(`(\n${lines.join('\n')}\n)`);
}

/**
 * Owner, group and mode of the temp file: given ones, else the replaced file's, else the umask's.
 * A link being replaced lends nothing: its target's owner and mode are not the new file's.
 */
function attributeLines(o: WriteFileOptions): string[] {
  const lines: string[] = ['if [ -e "$p" ] && [ ! -L "$p" ]; then old=1; else old=; fi'];
  if (!o.owner || !o.group) {
    // Only when ids differ: a non-root writer may keep its own files but cannot chown to itself everywhere.
    lines.push(
      'if [ -n "$old" ]; then',
      '  ids=$(stat -c %u:%g -- "$p")',
      '  [ "$(stat -c %u:%g -- "$tmp")" = "$ids" ] || chown -- "$ids" "$tmp"',
      'fi',
    );
  }
  if (o.owner) lines.push(`chown -- ${quote(o.owner)} "$tmp"`);
  if (o.group) lines.push(`chgrp -- ${quote(o.group)} "$tmp"`);
  // chmod last: chown clears setuid/setgid bits.
  if (o.mode) lines.push(`chmod -- ${quote(o.mode)} "$tmp"`);
  else {
    lines.push(
      'if [ -n "$old" ]; then m=$(stat -c %a -- "$p"); else m=$(printf %o $((0666 & ~$(umask)))); fi',
      'chmod -- "$m" "$tmp"',
    );
  }
  return lines;
}

/** What the write step printed: the backup's path when one was made. */
export function parseWriteOutput(stdout: string): { backup?: string } {
  const m = /^backup=(.*)$/m.exec(stdout);
  return m ? { backup: m[1] } : {};
}
