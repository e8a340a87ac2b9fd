import { script } from '../../runner/shell/command.js';
import { quote } from '../../runner/shell/quote.js';
import type { ExecResult } from '../../runner/connection/types.js';
import type { Probe } from '../../runner/module/types.js';
import { ProbeError } from './errors.js';

export type FileType = 'file' | 'directory' | 'other';

/** What one round trip learns about a path; `exists: false` carries nothing else. */
export interface FileState {
  exists: boolean;
  type?: FileType;
  /**
   * The path itself is a symbolic link. Read with `follow`, the other fields describe its target;
   * without, the state is `{ exists: false, link: true }` and the target is never looked at.
   */
  link?: boolean;
  /** Four octal digits, e.g. `0644`. */
  mode?: string;
  owner?: string;
  uid?: number;
  group?: string;
  gid?: number;
  size?: number;
  /** Seconds since the epoch. */
  mtime?: number;
  /** Regular files only. */
  sha256?: string;
  /** Regular files only, when asked for and not larger than `maxContent`. */
  content?: Buffer;
}

export interface ProbeOptions {
  /** Also send the file's bytes (for diffs and line edits). */
  withContent?: boolean;
  /** Larger files come without content (`content` stays undefined). Default 4 MiB. */
  maxContent?: number;
  /**
   * Describe a symbolic link's target. Writers leave it off (Ansible's `follow: no`): a link planted
   * where a file is to be written is replaced, and what it points to is never read or changed.
   */
  follow?: boolean;
}

const CONTENT_MARK = 'content:';

/** The shell text of the probe, in a subshell of its own so it composes with other reads. */
export function fileStateScript(path: string, opts: ProbeOptions = {}): string {
  const max = opts.maxContent ?? 4 * 1024 * 1024;
  const lines = [
    `p=${quote(path)}`,
    opts.follow ? `if [ -L "$p" ]; then echo link=1; fi` : `if [ -L "$p" ]; then echo link=1; echo exists=0; exit 0; fi`,
    `if [ ! -e "$p" ]; then echo exists=0; exit 0; fi`,
    `if [ -d "$p" ]; then echo type=directory; elif [ -f "$p" ]; then echo type=file; else echo type=other; fi`,
    // Owner names have no spaces; the numeric ids let params name users either way.
    `s=$(stat -L -c '%a %U %u %G %g %s %Y' -- "$p") || exit 3`,
    `echo "stat=$s"`,
    `if [ -f "$p" ]; then`,
    `  h=$(sha256sum < "$p") || exit 4`,
    `  echo "sha256=\${h%% *}"`,
  ];
  if (opts.withContent) {
    lines.push(
      `  set -- $s`,
      `  if [ "$6" -le ${max} ]; then echo ${CONTENT_MARK}; base64 < "$p" || exit 5; fi`,
    );
  }
  lines.push('fi');
  return `(\n${lines.join('\n')}\n)`;
}

/** One command that reads existence, type, owner, group, mode, size, mtime, sha256 and (optionally) content. */
export function fileStateProbe(path: string, opts: ProbeOptions = {}): Probe<FileState> {
  return { command: script(fileStateScript(path, opts)), parse: (res) => parseFileState(res, path) };
}

export function parseFileState(res: ExecResult, path: string): FileState {
  if (res.code !== 0) throw new ProbeError(path, res.code, res.stderr);
  const at = res.stdout.indexOf(`\n${CONTENT_MARK}\n`);
  const head = at < 0 ? res.stdout : res.stdout.slice(0, at);
  const kv = new Map(
    head
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
  const link = kv.get('link') === '1' ? { link: true } : {};
  if (kv.get('exists') === '0') return { exists: false, ...link };
  const [mode, owner, uid, group, gid, size, mtime] = (kv.get('stat') ?? '').split(' ');
  const state: FileState = {
    exists: true,
    ...link,
    type: (kv.get('type') as FileType | undefined) ?? 'other',
    mode: (mode ?? '').padStart(4, '0'),
    owner,
    uid: Number(uid),
    group,
    gid: Number(gid),
    size: Number(size),
    mtime: Number(mtime),
  };
  if (kv.has('sha256')) state.sha256 = kv.get('sha256');
  if (at >= 0) state.content = Buffer.from(res.stdout.slice(at + CONTENT_MARK.length + 2), 'base64');
  return state;
}
