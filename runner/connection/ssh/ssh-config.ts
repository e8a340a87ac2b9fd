import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { UsageError } from '../../errors.js';
import SSHConfig, { LineType, type Line } from 'ssh-config';

/** What `~/.ssh/config` says about one host, as written (tokens such as `%h` not expanded yet). */
export interface SshConfigEntry {
  hostName?: string;
  user?: string;
  port?: string;
  identityFiles: string[];
  proxyJump?: string;
  proxyCommand?: string;
  identitiesOnly?: boolean;
  strictHostKeyChecking?: string;
  userKnownHostsFile?: string;
  connectTimeout?: string;
}

/**
 * Directives vsa cannot follow. Match and Include would change which settings apply; the
 * canonicalization ones make the parser run DNS lookups of its own.
 */
const UNREAD = /^(match|include|canonicalizehostname|canonicaldomains)$/i;

/** The user's OpenSSH client config, read once per run, looked up per host with ssh's first-match rules. */
export class SshConfig {
  static readonly none = new SshConfig(new SSHConfig(), '');

  private constructor(
    private readonly parsed: SSHConfig,
    /** Where it was read from (for messages). */
    readonly file: string,
  ) {}

  /** Reads `file` (default `~/.ssh/config`); a missing file is an empty config, as for ssh. */
  static load(file = `${homedir()}/.ssh/config`, warn: (message: string) => void = () => {}): SshConfig {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return SshConfig.none;
      throw new UsageError(`cannot read the ssh config ${file}: ${code ?? String(e)}`, { cause: e });
    }
    return SshConfig.parse(text, file, warn);
  }

  static parse(text: string, file: string, warn: (message: string) => void = () => {}): SshConfig {
    const parsed = SSHConfig.parse(text);
    const kept = withoutUnread(parsed, (line) => warn(`${file}: "${line}" is not supported by vsa; the settings under it are ignored`));
    return new SshConfig(kept, file);
  }

  lookup(host: string): SshConfigEntry {
    if (!this.parsed.length) return { identityFiles: [] };
    // matchExec off: a config must never make vsa run a command.
    const c = this.parsed.compute(host, { ignoreCase: true, matchExec: false });
    const one = (key: string): string | undefined => {
      const v = c[key];
      return Array.isArray(v) ? v[0] : v;
    };
    const entry: SshConfigEntry = { identityFiles: [...(c.identityfile ?? [])] };
    const fields = {
      hostName: 'hostname',
      user: 'user',
      port: 'port',
      proxyJump: 'proxyjump',
      proxyCommand: 'proxycommand',
      strictHostKeyChecking: 'stricthostkeychecking',
      userKnownHostsFile: 'userknownhostsfile',
      connectTimeout: 'connecttimeout',
    } as const;
    for (const [field, key] of Object.entries(fields)) {
      const v = one(key);
      if (v !== undefined) entry[field as keyof typeof fields] = v;
    }
    const only = one('identitiesonly');
    if (only !== undefined) entry.identitiesOnly = only.toLowerCase() === 'yes';
    return entry;
  }
}

/** The config without the directives vsa cannot follow (each one reported), Match blocks whole. */
function withoutUnread(lines: SSHConfig, report: (line: string) => void): SSHConfig {
  const out = new SSHConfig();
  for (const line of lines) {
    if (line.type === LineType.DIRECTIVE && UNREAD.test(line.param)) {
      report(`${line.param} ${valueText(line)}`);
      continue;
    }
    if (line.type === LineType.DIRECTIVE && 'config' in line) {
      const section = { ...line, config: withoutUnread(line.config, report) };
      out.push(section);
    } else {
      out.push(line);
    }
  }
  return out;
}

function valueText(line: Line): string {
  if (line.type !== LineType.DIRECTIVE) return '';
  return typeof line.value === 'string' ? line.value : line.value.map((v) => v.val).join(' ');
}
