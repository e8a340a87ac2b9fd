import type { Finding } from './types.js';

export interface EnvEntry {
  key: string;
  value: string;
  line: number;
}

/** `KEY=value` lines of a dotenv file (comments, blanks and `export ` prefixes allowed). */
export function parseEnvFile(text: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(raw);
    if (!m) return;
    let value = m[2]!.trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    value = quoted ? quoted[2]! : value.replace(/\s+#.*$/, '');
    out.push({ key: m[1]!, value, line: i + 1 });
  });
  return out;
}

const SECRET_KEY =
  /(PASS(WORD|WD)?|SECRET|TOKEN|API_?KEY|PRIVATE|ACCESS_?KEY|CREDENTIAL|SALT|(^|_)KEY$|DSN)/i;
/** Keys that name where a secret is, or who uses it, rather than the secret itself. */
const NOT_A_SECRET = /_(DIR|FILE|PATH|IMAGE|USER|USERNAME|NAME)$/i;
const PLACEHOLDER =
  /^(|change[-_]?me.*|replace[-_]?me.*|changeit|<[^>]*>|\$\{[^}]*\}|x{3,}|\*{3,}|todo|placeholder|.*example.*)$/i;
/** Shapes of issued credentials: provider prefixes, private keys, long mixed-alphabet strings. */
const ISSUED =
  /^(sk-[A-Za-z0-9_-]{16,}|sk_live_|rk_live_|ghp_|gho_|github_pat_|glpat-|xox[abpr]-|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{20,}|-----BEGIN)/;
const CREDENTIAL_URL = /:\/\/[^/:@\s]+:([^@\s]+)@/;

/** Why a value looks real rather than a placeholder, or undefined when it is a placeholder. */
export function realLookingValue(key: string, value: string): string | undefined {
  if (ISSUED.test(value)) return 'has the shape of an issued credential';
  if (looksRandom(value)) return 'looks like a generated secret';
  const url = CREDENTIAL_URL.exec(value);
  if (url && !PLACEHOLDER.test(url[1]!)) return 'is a URL with a password in it';
  if (SECRET_KEY.test(key) && !NOT_A_SECRET.test(key) && !PLACEHOLDER.test(value))
    return 'is a secret with a real-looking value (use change-me or <...>)';
  return undefined;
}

function looksRandom(v: string): boolean {
  return (
    v.length >= 24 && /^[A-Za-z0-9+/=_-]+$/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v)
  );
}

export function placeholderFindings(file: string, entries: EnvEntry[]): Finding[] {
  return entries.flatMap((e) => {
    const why = realLookingValue(e.key, e.value);
    return why ? [{ file, line: e.line, rule: 'env-placeholder' as const, message: `${e.key} ${why}` }] : [];
  });
}

/**
 * Variables compose needs a value for: `${VAR}`, `${VAR:?msg}` and `$VAR`, but not `${VAR:-default}`
 * and not `$$` (an escaped dollar).
 */
export function requiredVariables(compose: string): { name: string; line: number }[] {
  const text = compose.replace(/\$\$/g, '  ');
  const out: { name: string; line: number }[] = [];
  const re = /\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of text.matchAll(re)) {
    const op = m[2]?.replace(':', '')[0];
    if (op === '-' || op === '+') continue;
    const line = text.slice(0, m.index).split('\n').length;
    // Comments explain; only the file's values need a value.
    if (/^\s*#/.test(text.split('\n')[line - 1] ?? '')) continue;
    out.push({ name: (m[1] ?? m[3])!, line });
  }
  return out;
}
