/**
 * The quality gates `vsa stack lint` enforces (the seed's "do not merge if" list), one id each so CI
 * output and tests can name the exact rule that fired.
 */
export const RULES = {
  'compose-file': 'compose.yml exists, parses and matches the compose subset vsa understands',
  healthcheck: 'every service has a healthcheck (in compose, or HEALTHCHECK in the Dockerfile it builds)',
  'restart-policy': 'every service has restart: unless-stopped',
  'env-example': '.env.example exists beside compose.yml',
  'env-placeholder': '.env.example holds placeholders only, never real-looking secrets',
  'env-undeclared': 'every ${VAR} compose needs without a default is listed in .env.example',
  'env-file': 'every env_file is env/.env (where stack up puts the .env) or a file of the stack',
  readme: 'README.md exists',
  'db-port': 'no database port is published on the host',
  'network-external': 'flowbiz_ext is declared external and joined by the stack; databases stay off it',
  'network-local': "every service joins the stack's own NAME-net",
  'vhost-headers': 'every HTTPS vhost includes security_headers.conf, which sets the security headers',
  'vhost-hsts': 'the security headers include Strict-Transport-Security (HSTS)',
} as const;

export type RuleId = keyof typeof RULES;

/** One problem, where it is: `file:line rule message`. */
export interface Finding {
  file: string;
  line: number;
  rule: RuleId;
  message: string;
}

export interface LintResult {
  /** The stacks (directory names) that were checked. */
  stacks: string[];
  /** The vhost files that were checked (templates and stacks' nginx configs). */
  vhostFiles: string[];
  findings: Finding[];
}
