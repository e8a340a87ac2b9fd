/**
 * The shell parts of stack_release. Releases live in PROJECT_DIR/.vsa-releases: a directory per
 * release (the uploaded files, by content hash), `ID.json` beside it (when it was deployed, by which
 * run and actor) and `current` (the release that last came up healthy). The tenant may write below
 * its project directory, so nothing here follows a link it planted: every file is written to a
 * fresh `mktemp` name and renamed into place, and a path through a link is refused.
 */
import { quote } from '../runner/shell/quote.js';

export const RELEASE_MARK = '@@vsa-release';
export const releasesDir = (root: string) => `${root.replace(/\/+$/, '')}/.vsa-releases`;

const refuseLink = (path: string) =>
  `if [ -L ${path} ]; then echo ${path}' is a symbolic link: not followed' >&2; exit 1; fi`;

/** Writes `text` to `dest` through a temp file in the same directory. */
const writeVia = (dest: string, text: string) =>
  `t=$(mktemp "$r/.vsa-XXXXXX"); printf '%s\\n' ${quote(text)} > "$t"; chmod 0640 "$t"; mv -f "$t" ${dest}`;

/** The releases with their records, and the current one; `link` when .vsa-releases is a link. */
export function listScript(root: string): string {
  return [
    `r=${quote(releasesDir(root))}`,
    `if [ -L "$r" ]; then echo '${RELEASE_MARK} link'; exit 0; fi`,
    'if [ ! -d "$r" ]; then exit 0; fi',
    `echo "${RELEASE_MARK} current $(cat "$r/current" 2>/dev/null)"`,
    'for m in "$r"/*.json; do',
    '  [ -f "$m" ] || continue',
    '  id=${m##*/}',
    `  echo "${RELEASE_MARK} release \${id%.json}"`,
    '  cat "$m"',
    'done',
  ].join('\n');
}

export interface RecordArgs {
  root: string;
  id: string;
  files: readonly string[];
  /** The release's record, as JSON. */
  meta: string;
  /** Releases to remove (beyond the number kept). */
  drop: readonly string[];
}

/** Keeps the project's files as release `id` (once), records it and makes it current. */
export function recordScript(a: RecordArgs): string {
  const copies = a.files.map((f) => {
    const src = quote(`${a.root}/${f}`);
    return [
      `  if [ -L ${src} ] || [ ! -f ${src} ]; then echo ${src}' is not a regular file' >&2; rm -rf "$tmp"; exit 1; fi`,
      `  mkdir -p "$(dirname "$tmp"/${quote(f)})"; cat ${src} > "$tmp"/${quote(f)}`,
    ].join('\n');
  });
  return [
    `r=${quote(releasesDir(a.root))}`,
    refuseLink('"$r"'),
    'mkdir -p "$r"; chmod 0750 "$r"',
    `if [ ! -d "$r"/${quote(a.id)} ]; then`,
    '  tmp=$(mktemp -d "$r/.new-XXXXXX")',
    ...copies,
    `  mv "$tmp" "$r"/${quote(a.id)}`,
    'fi',
    writeVia(`"$r"/${quote(`${a.id}.json`)}`, a.meta),
    writeVia('"$r/current"', a.id),
    ...a.drop.map((d) => `rm -rf -- "$r"/${quote(d)} "$r"/${quote(`${d}.json`)}`),
  ].join('\n');
}

/**
 * Copies release `id`'s files back over the project's (other files, `data/` and `env/` are left
 * alone) and makes it current. Each directory on the way is checked not to be a link.
 */
export function restoreScript(root: string, id: string): string {
  return [
    `root=${quote(root.replace(/\/+$/, ''))}`,
    `r=${quote(releasesDir(root))}`,
    refuseLink('"$r"'),
    `rel="$r"/${quote(id)}`,
    'cd "$rel"',
    'find . -type f | while IFS= read -r f; do',
    '  f=${f#./}; p="$root"; rest=$f',
    '  while :; do',
    '    case $rest in */*) ;; *) break ;; esac',
    '    p="$p/${rest%%/*}"; rest=${rest#*/}',
    `    ${refuseLink('"$p"')}`,
    '    mkdir -p "$p"',
    '  done',
    '  t=$(mktemp "$p/.vsa-XXXXXX"); cat "$rel/$f" > "$t"; chmod 0644 "$t"; mv -f "$t" "$root/$f"',
    'done',
    writeVia('"$r/current"', id),
  ].join('\n');
}
