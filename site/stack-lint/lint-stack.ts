import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CANDIDATES } from '../../modules/docker-compose-scripts.js';
import { composeFile, type ComposeFile } from './compose-schema.js';
import { composeFindings } from './compose-rules.js';
import { nameFindings } from './name-rules.js';
import { parseEnvFile, placeholderFindings, requiredVariables } from './env-example.js';
import type { Finding } from './types.js';
import { vhostDirFindings } from './vhost-rules.js';
import { parseYamlSource } from './yaml-source.js';


/**
 * Every gate of one stack directory (`dir/name`), plus the vhosts under its `nginx/` directory,
 * and the compose file as parsed when it parses.
 */
export function lintStack(dir: string, name: string): { findings: Finding[]; vhostFiles: string[]; compose?: ComposeFile } {
  const root = join(dir, name);
  const findings: Finding[] = [];
  // The file the engine runs: the first of its candidates, in its order.
  const present = CANDIDATES.map((f) => join(root, f)).filter((f) => existsSync(f));
  const found = present[0];
  const composePath = found ?? join(root, 'compose.yml');
  const envPath = join(root, '.env.example');
  const env = existsSync(envPath) ? parseEnvFile(readFileSync(envPath, 'utf8')) : undefined;

  if (!existsSync(join(root, 'README.md'))) {
    findings.push({
      file: join(root, 'README.md'),
      line: 1,
      rule: 'readme',
      message: `stack ${name} has no README.md`,
    });
  }
  if (!env)
    findings.push({
      file: envPath,
      line: 1,
      rule: 'env-example',
      message: `stack ${name} has no .env.example`,
    });
  else findings.push(...placeholderFindings(envPath, env));

  let compose: ComposeFile | undefined;
  if (!found) {
    findings.push({
      file: composePath,
      line: 1,
      rule: 'compose-file',
      message: `stack ${name} has no compose.yml`,
    });
  } else {
    if (present.length > 1) {
      findings.push({
        file: composePath,
        line: 1,
        rule: 'compose-file',
        message: `stack ${name} has ${present.length} compose files (${present.map((f) => basename(f)).join(', ')}); the engine runs ${basename(composePath)}: keep one`,
      });
    }
    const checked = composeFileFindings(name, root, composePath, env);
    findings.push(...checked.findings);
    compose = checked.compose;
  }
  const vhosts = vhostDirFindings(join(root, 'nginx'));
  return { findings: [...findings, ...vhosts.findings], vhostFiles: vhosts.files, compose };
}

function composeFileFindings(
  stack: string,
  stackDir: string,
  file: string,
  env: ReturnType<typeof parseEnvFile> | undefined,
): { findings: Finding[]; compose?: ComposeFile } {
  const text = readFileSync(file, 'utf8');
  const source = parseYamlSource(text);
  if (source.errors.length) {
    return {
      findings: source.errors.map((e) => ({
        file,
        line: e.line,
        rule: 'compose-file' as const,
        message: `YAML: ${e.message}`,
      })),
    };
  }
  const parsed = composeFile.safeParse(source.data);
  if (!parsed.success) {
    return {
      findings: parsed.error.issues.map((issue) => ({
        file,
        line: source.lineOf(issue.path),
        rule: 'compose-file' as const,
        message: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      })),
    };
  }
  const out = [...composeFindings({ stack, stackDir, file, compose: parsed.data, source }), ...nameFindings(file, parsed.data, source)];
  if (env) {
    const declared = new Set(env.map((e) => e.key));
    for (const v of requiredVariables(text)) {
      if (!declared.has(v.name)) {
        out.push({
          file,
          line: v.line,
          rule: 'env-undeclared',
          message: `\${${v.name}} has no default and is not in .env.example`,
        });
      }
    }
  }
  return { findings: out, compose: parsed.data };
}
