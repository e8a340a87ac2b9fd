import { defineFact } from '../../runner/module/define.js';
import { script } from '../../runner/shell/command.js';

export interface OsFacts {
  /** `ID` of /etc/os-release (`debian`, `ubuntu`, `alpine`, …); `unknown` without the file. */
  id: string;
  /** `ID_LIKE`, split: `['debian']` on Ubuntu. */
  idLike: string[];
  versionId?: string;
  codename?: string;
  prettyName?: string;
  /** `uname -s`, `-r`, `-m`. */
  kernel: string;
  kernelRelease: string;
  arch: string;
}

const UNAME = '__vsa_uname=';

export const osFact = defineFact<OsFacts>({
  name: 'os',
  command: script(
    `cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null\necho "${UNAME}$(uname -s) $(uname -r) $(uname -m)"`,
  ),
  parse(res) {
    const kv = parseOsRelease(res.stdout);
    const [kernel = '', kernelRelease = '', arch = ''] = (kv.get(UNAME.slice(0, -1)) ?? '').split(' ');
    return {
      id: kv.get('ID') ?? 'unknown',
      idLike: (kv.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
      versionId: kv.get('VERSION_ID'),
      codename: kv.get('VERSION_CODENAME'),
      prettyName: kv.get('PRETTY_NAME'),
      kernel,
      kernelRelease,
      arch,
    };
  },
});

/** Whether the host is Debian or a derivative (apt, dpkg). */
export function isDebianFamily(os: OsFacts): boolean {
  return os.id === 'debian' || os.idLike.includes('debian');
}

/** os-release is shell-like `KEY=value` with optional quotes and backslash escapes. */
function parseOsRelease(text: string): Map<string, string> {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!;
    const q = v[0];
    if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) v = v.slice(1, -1);
    if (q === '"') v = v.replace(/\\(["\\$`])/g, '$1');
    kv.set(m[1]!, v);
  }
  return kv;
}
