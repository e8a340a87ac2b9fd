import { describe, expect, it } from 'vitest';
import { containerPort, looksLikeDatabase } from '../../../site/stack-lint/db-ports.js';
import { parseEnvFile, realLookingValue, requiredVariables } from '../../../site/stack-lint/env-example.js';
import { envFileProblem } from '../../../site/stack-lint/compose-rules.js';
import { vhostFindings } from '../../../site/stack-lint/vhost-rules.js';
import { parseYamlSource } from '../../../site/stack-lint/yaml-source.js';

describe('yaml source', () => {
  const src = parseYamlSource('a:\n  b:\n    - x\n    - y: 1\n  c: 2\n');
  it.each([
    [['a'], 1],
    [['a', 'b'], 2],
    [['a', 'b', 1], 4],
    [['a', 'b', 1, 'y'], 4],
    [['a', 'c'], 5],
    [['a', 'missing'], 1],
  ] as const)('line of %j is %i', (path, line) => expect(src.lineOf(path)).toBe(line));

  it('reports syntax errors with their line and no data', () => {
    const bad = parseYamlSource('a: 1\nb: [1, 2\nc: 3\n');
    expect(bad.data).toBeUndefined();
    expect(bad.errors[0]!.line).toBeGreaterThanOrEqual(2);
  });
});

describe('database ports', () => {
  it.each([
    ['5432', 5432],
    ['127.0.0.1:5432:5432', 5432],
    ['15432:5432/tcp', 5432],
    ['[::1]:6379:6379', 6379],
    ['8080-8081:80-81', 80],
    [3306, 3306],
    [{ target: 27017, published: 27017 }, 27017],
  ] as const)('%j maps to container port %i', (spec, port) => expect(containerPort(spec)).toBe(port));

  it.each([
    ['postgres:16-alpine', true],
    ['${DB_IMAGE:-pgvector/pgvector:pg16}', true],
    ['docker.io/library/redis:7', true],
    ['bitnami/mariadb', true],
    ['nginx:1.25-alpine', false],
    ['grafana/grafana:10.4.2', false],
    ['ghcr.io/acme/postgres-backup-ui:1', false],
  ])('%s looks like a database: %s', (image, db) => expect(looksLikeDatabase(image)).toBe(db));
});

describe('.env.example placeholders', () => {
  it('parses keys, values, quotes, export and comments with line numbers', () => {
    expect(parseEnvFile('# c\nexport A=1\nB="two words"\nC=x # note\n\nD=\n')).toEqual([
      { key: 'A', value: '1', line: 2 },
      { key: 'B', value: 'two words', line: 3 },
      { key: 'C', value: 'x', line: 4 },
      { key: 'D', value: '', line: 6 },
    ]);
  });

  it.each([
    ['DB_PASSWORD', 'change-me'],
    ['DB_PASSWORD', ''],
    ['API_TOKEN', '<your token>'],
    ['SECRET_KEY', 'changeme-to-a-long-random-string'],
    ['ADMIN_PASSWORD', 'xxxx'],
    ['HTPASSWD_DIR', './data/htpasswd'],
    ['DASHBOARD_TOKEN_FILE', './env/dashboard-token'],
    ['GRAFANA_ADMIN_USER', 'admin'],
    ['APP_IMAGE', 'ghcr.io/acme/shop:1.4'],
    ['DATABASE_URL', 'postgres://app:change-me@db:5432/app'],
  ])('%s=%s is a placeholder', (k, v) => expect(realLookingValue(k, v)).toBeUndefined());

  it.each([
    ['DB_PASSWORD', 'hunter2'],
    ['OPENAI_API_KEY', 'sk-proj-abcdefghijklmnopqrstuv'],
    ['NOTES', 'AKIAIOSFODNN7EXAMPLE'],
    ['SESSION', 'q8Zr4TbW2mXc9LpV7nHs3KdF'],
    ['DATABASE_URL', 'postgres://app:s3cretpw@db:5432/app'],
    ['GITHUB', 'ghp_0123456789abcdef'],
  ])('%s=%s looks real', (k, v) => expect(realLookingValue(k, v)).toBeDefined());
});

describe('variables compose needs', () => {
  it('finds ${VAR}, ${VAR:?msg} and $VAR but not defaults, $$ escapes or comments', () => {
    const text = [
      'image: ${IMAGE:-nginx}', // 1
      'a: ${NEEDED}', // 2
      'b: ${STRICT:?set it}', // 3
      'c: $BARE', // 4
      'd: $${NOT_ME} and $$ALSO_NOT', // 5
      '# e: ${IN_COMMENT}', // 6
      'f: ${OPT-x} ${ALT:+y}', // 7
    ].join('\n');
    expect(requiredVariables(text)).toEqual([
      { name: 'NEEDED', line: 2 },
      { name: 'STRICT', line: 3 },
      { name: 'BARE', line: 4 },
    ]);
  });
});

describe('vhost rules', () => {
  const https = (body: string) => `server {\n    listen 443 ssl;\n${body}}\n`;
  it('accepts an HTTPS server that includes the snippet, through a template variable too', () => {
    expect(
      vhostFindings('a.conf', https('    include {{ paths.snippets }}/security_headers.conf;\n')),
    ).toEqual([]);
  });
  it('ignores a commented include and port-80-only servers', () => {
    expect(
      vhostFindings('a.conf', https('    # include /etc/nginx/snippets/security_headers.conf;\n')),
    ).toHaveLength(1);
    expect(vhostFindings('b.conf', 'server {\n    listen 80;\n}\n')).toEqual([]);
  });
  it('names every missing header of the snippet', () => {
    const f = vhostFindings(
      'security_headers.conf.njk',
      'add_header Strict-Transport-Security "max-age=1" always;\n',
    );
    expect(f).toEqual([
      {
        file: 'security_headers.conf.njk',
        line: 1,
        rule: 'vhost-headers',
        message: 'missing headers: X-Frame-Options, X-Content-Type-Options, Content-Security-Policy',
      },
    ]);
  });
});

describe('env files a service reads', () => {
  // test/fixtures/stacks/clean has README.md and .env.example, no env/ directory.
  const dir = 'test/fixtures/stacks/clean';
  it.each([
    ['env/.env', undefined],
    ['./env/.env', undefined],
    ['README.md', undefined],
    ['.env', 'stack up uploads .env as env/.env: name that'],
    ['./.env', 'stack up uploads .env as env/.env: name that'],
    ['../shared.env', 'outside the stack directory, so not uploaded with it: use env/.env'],
    ['/etc/app.env', 'outside the stack directory, so not uploaded with it: use env/.env'],
    ['app.env', 'not in the stack directory, so not on the host after stack up: use env/.env'],
  ] as const)('%s: %s', (file, problem) => expect(envFileProblem(file, dir)).toBe(problem));
});
