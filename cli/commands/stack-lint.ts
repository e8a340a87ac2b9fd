import type { Command } from 'commander';
import type { Cli } from '../program.js';

/**
 * `vsa stack lint [NAME…]`: the seed's quality gates on stacks/ and the vhost templates. Exit 0 when
 * clean, 1 on findings, 5 on bad usage (unknown stack, missing directory).
 */
export function registerStackLint(stack: Command, cli: Cli): void {
  stack
    .command('lint')
    .description(
      'Check the quality gates: healthchecks, restart policy, .env.example, README, no DB ports, networks, vhost security headers',
    )
    .argument('[names...]', 'stacks to check (default: every directory under --dir)')
    .option('--dir <dir>', 'where stacks live', 'stacks')
    .option('--templates <dir>', 'NGINX vhost templates to check too', 'templates/nginx')
    .option('--json', 'print one JSON object {stacks, vhostFiles, findings, ok} for CI', false)
    .addHelpText(
      'after',
      `
Each finding is one line: FILE:LINE RULE MESSAGE. Rules: compose-file, healthcheck,
restart-policy, env-example, env-placeholder, env-undeclared, readme, db-port, network-external,
network-local, vhost-headers, vhost-hsts.

Examples:
  vsa stack lint
  vsa stack lint reverse-proxy dify --json > lint.json

Exit codes: 0 clean, 1 findings, 5 bad arguments.`,
    )
    .action(cli.action(async (_ctx, names: string[], opts: { dir: string; templates: string; json: boolean }) => {
      const { lintStacks, formatFindings } = await import('../../site/stack-lint/index.js');
      const result = lintStacks({ dir: opts.dir, names, templatesDir: opts.templates });
      const ok = result.findings.length === 0;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...result, ok })}\n`);
      } else {
        process.stdout.write(formatFindings(result.findings));
        const what = `${result.stacks.length} stack(s), ${result.vhostFiles.length} vhost file(s)`;
        process.stderr.write(ok ? `${what}: clean\n` : `${what}: ${result.findings.length} finding(s)\n`);
      }
      return ok ? 0 : 1;
    }));
}
