import { script, type Command } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';

/** What `openssl x509` says about one live certificate. */
export interface CertInfo {
  name: string;
  issuer: string;
  /** ISO 8601. */
  notAfter: string;
  daysLeft: number;
  sans: string[];
  /** SHA-256 of the DER certificate, `AB:CD:…`. */
  fingerprint: string;
}

/** Per certificate name: its details, `null` when there is no certificate, or the reason it is unreadable. */
export type CertMap = Map<string, CertInfo | null | { error: string }>;

const MARK = '@@vsa-cert';
const OPENSSL = 'openssl x509 -noout -issuer -enddate -ext subjectAltName -fingerprint -sha256 -in';
const DAY_MS = 86_400_000;

/** The names a `for n in …` loop goes through, with `$live` set: these, or every certificate there. */
export function liveNamesList(names: readonly string[]): string {
  return names.length > 0
    ? names.map(quote).join(' ')
    : '$(cd "$live" 2>/dev/null && for n in *; do [ -f "$n/cert.pem" ] && echo "$n"; done)';
}

/**
 * Reads the named certificates under `CONFIG/live/`, or every one there when `names` is empty.
 * `openssl` prints "No extensions in certificate" on stderr for a certificate without SANs; only
 * its exit status matters.
 */
export function readCertsScript(configDir: string, names: readonly string[]): string {
  const list = liveNamesList(names);
  return [
    `live=${quote(`${configDir}/live`)}`,
    `for n in ${list}; do`,
    `  echo "${MARK} $n"`,
    `  if [ ! -e "$live/$n/cert.pem" ]; then echo absent; continue; fi`,
    `  ${OPENSSL} "$live/$n/cert.pem" 2>/dev/null || echo "error=cannot read $live/$n/cert.pem"`,
    'done',
  ].join('\n');
}

export function readCerts(configDir: string, names: readonly string[]): Command {
  return script(readCertsScript(configDir, names));
}

export function parseCerts(stdout: string, now = Date.now()): CertMap {
  const out: CertMap = new Map();
  for (const block of stdout.split(`${MARK} `).slice(1)) {
    const nl = block.indexOf('\n');
    const name = (nl < 0 ? block : block.slice(0, nl)).trim();
    const body = nl < 0 ? '' : block.slice(nl + 1);
    out.set(name, parseCert(name, body, now));
  }
  return out;
}

export function parseCert(name: string, text: string, now = Date.now()): CertInfo | null | { error: string } {
  if (/^absent$/m.test(text)) return null;
  const error = /^error=(.*)$/m.exec(text)?.[1];
  const issuer = /^issuer=\s*(.*)$/m.exec(text)?.[1]?.trim();
  const end = /^notAfter=(.*)$/m.exec(text)?.[1]?.trim();
  const fingerprint = /^sha256 Fingerprint=(\S+)/im.exec(text)?.[1];
  const notAfter = end ? parseOpensslDate(end) : undefined;
  if (error || !issuer || !notAfter || !fingerprint) return { error: error ?? `unreadable openssl output for ${name}` };
  const sanLine = /Subject Alternative Name:[^\n]*\n\s*(.*)/.exec(text)?.[1] ?? '';
  const sans = [...sanLine.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]!.toLowerCase());
  return {
    name,
    issuer,
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
    sans,
    fingerprint,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Jan  4 11:08:50 2027 GMT`, openssl's fixed format, always in GMT. */
export function parseOpensslDate(text: string): Date | undefined {
  const m = /^(\w{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})\s+GMT$/.exec(text);
  const month = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || month < 0) return undefined;
  return new Date(Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])));
}

/** A one-line summary without secrets: `issuer …, expires 2027-01-04 (40 days), names a, b`. */
export function describeCert(c: CertInfo): string {
  return `issuer ${c.issuer}, expires ${c.notAfter.slice(0, 10)} (${c.daysLeft} days), names ${c.sans.join(', ') || '(none)'}`;
}

export function isCertInfo(v: CertInfo | null | { error: string } | undefined): v is CertInfo {
  return !!v && 'fingerprint' in v;
}
