import { UsageError } from '../../errors.js';

/** One hop of a ProxyJump chain: `[user@]host[:port]`. */
export interface JumpSpec {
  user?: string;
  address: string;
  /** Absent: the hop's Port from the ssh config, else 22. */
  port?: number;
}

/** Parses `a,b` chains of `[user@]host[:port]` (IPv6 as `[addr]:port`); `ssh://` URLs too. */
export function parseJumps(spec: string): JumpSpec[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseJump);
}

function parseJump(raw: string): JumpSpec {
  const text = raw.replace(/^ssh:\/\//, '');
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const hostPort = at >= 0 ? text.slice(at + 1) : text;
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort) ?? /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m || !m[1]) throw new UsageError(`bad jump host "${raw}": expected [user@]host[:port]`);
  return { ...(user ? { user } : {}), address: m[1], ...(m[2] ? { port: Number(m[2]) } : {}) };
}
