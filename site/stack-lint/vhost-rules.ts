import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Finding } from './types.js';

/** Headers the seed requires on every HTTPS vhost besides HSTS. */
export const REQUIRED_HEADERS = ['X-Frame-Options', 'X-Content-Type-Options', 'Content-Security-Policy'];
const HSTS = 'Strict-Transport-Security';

/** NGINX config files (and their nunjucks templates) under `dir`, recursively; none when it is absent. */
export function nginxFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.conf(\.njk)?$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

const lineOf = (lines: string[], re: RegExp) => lines.findIndex((l) => re.test(stripComment(l))) + 1;
const stripComment = (l: string) => l.replace(/#.*$/, '');

/**
 * An HTTPS server (a `listen … 443` or `listen … ssl`) must include security_headers.conf; the
 * security_headers file itself must set HSTS and the other required headers.
 */
export function vhostFindings(file: string, text: string): Finding[] {
  const lines = text.split('\n');
  const out: Finding[] = [];
  if (basename(file).startsWith('security_headers.conf')) {
    const headerLine = (h: string) => lineOf(lines, new RegExp(`add_header\\s+["']?${h}\\b`, 'i'));
    const first = Math.max(1, lineOf(lines, /add_header/));
    if (!headerLine(HSTS))
      out.push({ file, line: first, rule: 'vhost-hsts', message: `no ${HSTS} header (HSTS)` });
    const missing = REQUIRED_HEADERS.filter((h) => !headerLine(h));
    if (missing.length)
      out.push({
        file,
        line: first,
        rule: 'vhost-headers',
        message: `missing headers: ${missing.join(', ')}`,
      });
    return out;
  }
  const tls = lineOf(lines, /^\s*listen\s+[^;]*\b(443|ssl)\b/);
  // A server that refuses every TLS handshake (the default server for unknown names) serves nothing.
  const rejects = lineOf(lines, /^\s*ssl_reject_handshake\s+on\s*;/);
  if (tls && !rejects && !lineOf(lines, /^\s*include\s+[^;]*security_headers\.conf\s*;/)) {
    out.push({
      file,
      line: tls,
      rule: 'vhost-headers',
      message: 'HTTPS server does not include security_headers.conf',
    });
  }
  return out;
}

export function vhostDirFindings(dir: string): { files: string[]; findings: Finding[] } {
  const files = nginxFiles(dir);
  return { files, findings: files.flatMap((f) => vhostFindings(f, readFileSync(f, 'utf8'))) };
}
