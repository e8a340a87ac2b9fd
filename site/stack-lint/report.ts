import type { Finding } from './types.js';

/** One `file:line rule message` line per finding, the shape editors and CI annotators pick up. */
export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}\n`).join('');
}
