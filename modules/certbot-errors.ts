/**
 * What the CA said when certbot's challenges failed. certbot prints the details on stdout
 * ("Domain: … Type: … Detail: …" per name, after "(authenticator: webroot)") and only
 * "Some challenges have failed." on stderr, so both are read.
 */

export interface ChallengeFailure {
  domain: string;
  /** The challenge certbot answered: http-01 for webroot, standalone and nginx; dns-01 for DNS plugins. */
  challenge: string;
  /** The ACME error type, e.g. `unauthorized`, `connection`, `dns`. */
  type: string;
  detail: string;
}

const BLOCK = /^\s*Domain:\s*(\S+)\s*\n\s*Type:\s*(\S+)\s*\n\s*Detail:\s*(.*)$/gm;

export function parseChallengeFailures(output: string): ChallengeFailure[] {
  const auth = /\(authenticator: ([\w-]+)\)/.exec(output)?.[1] ?? 'webroot';
  const challenge = auth.startsWith('dns') ? 'dns-01' : 'http-01';
  return [...output.matchAll(BLOCK)].map((m) => ({ domain: m[1]!, challenge, type: m[2]!, detail: m[3]!.trim() }));
}

/** One line per failed name, else certbot's own stderr (or `fallback`). */
export function describeCertbotFailure(stdout: string, stderr: string, fallback: string): string {
  const failures = parseChallengeFailures(`${stdout}\n${stderr}`);
  if (failures.length === 0) return stderr.trim() || fallback;
  const lines = failures.map((f) => `  ${f.domain}: ${f.challenge} challenge failed (${f.type}): ${f.detail}`);
  const rest = stderr.trim().split('\n').filter((l) => /^renewal failed for:/.test(l));
  return ['the CA refused the challenge of:', ...lines, ...rest].join('\n');
}
