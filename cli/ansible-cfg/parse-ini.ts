import { UsageError } from '../../runner/errors.js';

export interface IniEntry {
  section: string;
  key: string;
  value: string;
  line: number;
}

/**
 * The INI dialect Ansible reads ansible.cfg with: Python's configparser with `;` inline comments
 * (after whitespace), `key = value` or `key: value`, keys lower-cased, indented lines continuing
 * the value above, `#`/`;` comment lines. The `ini` package differs on all but the first two, so
 * the few rules are written out here.
 */
export function parseIni(text: string, file: string): IniEntry[] {
  const entries: IniEntry[] = [];
  let section: string | undefined;
  let last: IniEntry | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const stripped = raw.replace(/\s;.*$/, '');
    if (!stripped.trim() || /^\s*[#;]/.test(stripped)) return;
    if (/^\s/.test(stripped) && last) {
      last.value = `${last.value}\n${stripped.trim()}`;
      return;
    }
    const head = /^\[([^\]]+)\]\s*$/.exec(stripped);
    if (head) {
      section = head[1]!.trim();
      last = undefined;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(stripped.trim());
    if (!kv) throw new UsageError(`${file}:${line}: expected key = value or a [section]`);
    if (!section) throw new UsageError(`${file}:${line}: a setting before any [section]`);
    last = { section, key: kv[1]!.toLowerCase(), value: kv[2]!.trim(), line };
    entries.push(last);
  });
  return entries;
}
