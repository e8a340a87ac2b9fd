import { describe, expect, it } from 'vitest';
import { createRedactor, MASK } from '../../../runner/redact/index.js';

const bcrypt = '$2y$10$abcdefghijklmnopqrstuu5Qmxq3Vq0fGz0YcQm4m1n3sT7yJ0Xi.';
const apr1 = '$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/';

describe('createRedactor', () => {
  const redact = createRedactor({ secretValues: ['hunter2-secret', 'ab'], env: {} });

  it('masks exact secret values anywhere, including inside diffs and nested objects', () => {
    const diff = '--- a/.env\n+++ b/.env\n-DB_PASS=old\n+DB_URL=postgres://db/hunter2-secret\n';
    const out = redact({ a: { b: ['x hunter2-secret y', { diff }] } });
    expect(JSON.stringify(out)).not.toContain('hunter2-secret');
    expect(out.a.b[0]).toBe(`x ${MASK} y`);
    expect((out.a.b[1] as { diff: string }).diff).toContain(`+DB_URL=postgres://db/${MASK}`);
  });

  it('leaves secrets shorter than three characters alone rather than mangling text', () => {
    expect(redact('tab')).toBe('tab');
  });

  it('deep-copies: the input is not changed', () => {
    const input = { cmd: 'x hunter2-secret', n: 1 };
    const out = redact(input);
    expect(input.cmd).toBe('x hunter2-secret');
    expect(out).not.toBe(input);
  });

  it('leaves non-secret data untouched, including types', () => {
    const value = {
      host: 'web1',
      n: 3,
      ok: true,
      none: null,
      list: [1, 'two', { deep: 'nginx -t && systemctl reload nginx' }],
      diff: '--- a/site.conf\n+++ b/site.conf\n+    server_name shop.example.com;\n+    add_header Strict-Transport-Security "max-age=31536000";\n',
      message: 'Basic authentication added for shop.example.com',
      tokens: 5,
    };
    expect(redact(value)).toEqual(value);
  });

  it.each([
    ['mysql -u root -pS3cr3tPw db', 'mysql -u root -p*** db'],
    ['mysqldump --password=S3cr3tPw db', 'mysqldump --password=*** db'],
    ['app --password S3cr3tPw --user bob', 'app --password *** --user bob'],
    ["app --api-key 'k e y' run", 'app --api-key *** run'],
    ['curl "https://x/?token=abc123&x=1"', 'curl "https://x/?token=***&x=1"'],
    ['DB_PASSWORD=S3cr3tPw ./run', 'DB_PASSWORD=*** ./run'],
    ['{"password": "S3cr3tPw", "user": "bob"}', '{"password": ***, "user": "bob"}'],
    ['secret: S3cr3tPw', 'secret: ***'],
    ["curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' https://x", "curl -H 'Authorization: Bearer ***' https://x"],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic ***'],
    ['got Bearer abc123def456 back', 'got Bearer *** back'],
    ['git clone https://bob:S3cr3tPw@git.example.com/r.git', 'git clone https://bob:***@git.example.com/r.git'],
    ['REDIS_URL=redis://:S3cr3tPw@redis:6379/0', 'REDIS_URL=redis://:***@redis:6379/0'],
    ['connect to postgresql://app:S3cr3tPw@db/app failed', 'connect to postgresql://app:***@db/app failed'],
    ['LITELLM_MASTER_KEY=sk-1234abcd', 'LITELLM_MASTER_KEY=***'],
    ['DB_PASS=S3cr3tPw', 'DB_PASS=***'],
    ['  SIGNING_KEY: "S3cr3tPw"', '  SIGNING_KEY: ***'],
    [`bob:${bcrypt}`, 'bob:***'],
    [`alice:${apr1}`, 'alice:***'],
    ['carol:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'carol:***'],
    ['root:$6$saltsalt$' + 'a'.repeat(86) + ':19000:0', 'root:***:19000:0'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----', '***'],
  ])('masks secrets in text: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('masks secret flag values split across argv elements', () => {
    expect(redact(['app', '--password', 'S3cr3tPw', '--user', 'bob'])).toEqual(['app', '--password', MASK, '--user', 'bob']);
    expect(redact(['/usr/bin/mysql', '-u', 'root', '-pS3cr3tPw'])).toEqual(['/usr/bin/mysql', '-u', 'root', `-p${MASK}`]);
    expect(redact(['ssh', '-p2222', 'host'])).toEqual(['ssh', '-p2222', 'host']);
  });

  it('keeps ssh -p and other -p flags outside mysql command lines', () => {
    expect(redact('ssh -p2222 host')).toBe('ssh -p2222 host');
    expect(redact('mkdir -p /srv/app')).toBe('mkdir -p /srv/app');
  });

  it('masks whole values under secret-looking keys', () => {
    expect(redact({ password: 'whatever', sshPassword: 'x1', dashboardToken: 42, user: 'bob' })).toEqual({
      password: MASK,
      sshPassword: MASK,
      dashboardToken: MASK,
      user: 'bob',
    });
  });

  it('masks values of env vars named in the config and the default ones', () => {
    const r = createRedactor({
      envNames: ['APP_DB_PASS'],
      env: { APP_DB_PASS: 'envsecret99', VSA_SSH_PASSWORD: 'sshsecret77', HOME: '/root' },
    });
    expect(r('a envsecret99 b sshsecret77 /root')).toBe(`a ${MASK} b ${MASK} /root`);
  });

  it('is idempotent', () => {
    const once = redact(`DB_PASSWORD=x hunter2-secret ${bcrypt}`);
    expect(redact(once)).toBe(once);
  });

  it('is fast enough to run on every event', () => {
    const event = { runId: 'r', host: 'h', task: 't', message: 'x'.repeat(2000), diff: 'line\n'.repeat(2000) };
    const start = performance.now();
    for (let i = 0; i < 200; i++) redact(event);
    expect((performance.now() - start) / 200).toBeLessThan(5);
  });
});
