/**
 * The check before an ACME order: every name must reach this host's webroot over HTTP as the CA
 * will fetch it — resolved through DNS (not /etc/hosts), then a token written under
 * `.well-known/acme-challenge/` fetched by that name at that address. A name that fails costs a
 * failed validation at the CA (Let's Encrypt allows 5 per account, name and hour), so a doomed
 * order is never sent. IPv4 only: the A record is what is checked.
 */
import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { quote } from '../runner/shell/quote.js';

export interface Resolved {
  name: string;
  /** The first A record. */
  address?: string;
  /** Why there is none. */
  error?: string;
}

export type ResolveA = (name: string) => Promise<string[]>;

/** A resolver that asks DNS only: `server` (`IP` or `IP:PORT`), else the system's name servers. */
export function dnsResolver(server?: string): ResolveA {
  const r = new Resolver({ timeout: 3000, tries: 2 });
  if (server) r.setServers([server]);
  return (name) => r.resolve4(name);
}

export async function resolveNames(names: readonly string[], resolve: ResolveA, server?: string): Promise<Resolved[]> {
  const via = server ? ` (DNS server ${server})` : '';
  return Promise.all(
    names.map(async (name): Promise<Resolved> => {
      try {
        const [address] = await resolve(name);
        return address ? { name, address } : { name, error: `DNS has no A record for it${via}` };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        const none = code === 'ENOTFOUND' || code === 'ENODATA';
        return { name, error: none ? `DNS has no A record for it${via}` : `DNS gave no answer (${code})${via}` };
      }
    }),
  );
}

/** Names DNS could not resolve, one line each; empty when every name has an address. */
export function dnsFailures(resolved: readonly Resolved[]): string[] {
  return resolved.filter((r) => !r.address).map((r) => `${r.name}: ${r.error}`);
}

export const newToken = () => randomBytes(24).toString('base64url');

const HEADER = 'preflight before the ACME order failed, the CA was not asked:';
const NO_CURL = 'curl is not installed on this host: install it (vsa bootstrap does)';

/**
 * Writes the token, fetches it by each name at its address, removes it; exits 1 naming each name
 * that does not answer with the token, and why. POSIX sh and curl.
 */
export function preflightScript(webroot: string, token: string, targets: ReadonlyArray<{ name: string; address: string }>): string {
  const dir = `${webroot}/.well-known/acme-challenge`;
  const lines = [
    // Debian's minimal images have no curl: say so before writing anything (bootstrap installs it).
    `command -v curl >/dev/null 2>&1 || { printf '%s\\n  %s\\n' ${quote(HEADER)} ${quote(NO_CURL)} >&2; exit 1; }`,
    `d=${quote(dir)}; tok=${quote(token)}`,
    'mkdir -p -- "$d"; b=$(mktemp)',
    `trap 'rm -f -- "$d/$tok" "$b" "$b.err"' EXIT`,
    `printf '%s' "$tok" > "$d/$tok"; chmod 0644 "$d/$tok"`,
    'mine=" $(hostname -I 2>/dev/null) "',
    'failed=',
    'check() {',
    '  code=$(curl -sS --connect-timeout 3 -m 10 --retry 2 --retry-delay 1 -o "$b" -w \'%{http_code}\' --resolve "$1:80:$2" "http://$1/.well-known/acme-challenge/$tok" 2>"$b.err") || code=none',
    '  if [ "$code" = none ]; then why="no HTTP answer ($(tail -n 1 "$b.err"))"',
    '  elif [ "$code" != 200 ]; then why="HTTP $code instead of the token"',
    '  elif [ "$(cat "$b")" != "$tok" ]; then why="a body that is not the token (another server answers)"',
    '  else return 0; fi',
    '  case "$mine" in "  ") where="" ;; *" $2 "*) where="" ;; *) where=", which is not an address of this host (DNS points elsewhere)" ;; esac',
    `  failed="$failed
  $1: DNS points at $2$where: $why"`,
  '}',
    ...targets.map((t) => `check ${quote(t.name)} ${quote(t.address)}`),
    `if [ -n "$failed" ]; then printf '%s%s\\n' ${quote(HEADER)} "$failed" >&2; exit 1; fi`,
  ];
  return lines.join('\n');
}

export function dnsFailureMessage(failures: readonly string[]): string {
  return [HEADER, ...failures.map((f) => `  ${f}`)].join('\n');
}
