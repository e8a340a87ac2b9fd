import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../modules/lib/diff.js';
import { createRedactor } from '../../../runner/redact/index.js';

// A secret param's value in the shapes it takes on its way to the record: vsa run -e token=... with
// the param marked secret, the value in a file's diff or in a command's output.
describe('a secret param in odd shapes', () => {
  it('masks every line of a multi-line secret in a diff (each line travels with a + prefix)', () => {
    const secret = 'Zq9tok-first-line\nsecond-line-Xy7';
    const redact = createRedactor({ secretValues: [secret], env: {} });
    const diff = unifiedDiff('/srv/t/conf.txt', undefined, `line one\nvalue ${secret}\nend\n`);
    const out = redact({ diff });
    expect(out.diff).not.toContain('Zq9tok-first-line');
    expect(out.diff).not.toContain('second-line-Xy7');
  });

  it('masks the base64 of a secret a command prints (kubectl get secret -o yaml, echo | base64)', () => {
    const secret = 'Zq9tokenXy7secretvalue';
    const redact = createRedactor({ secretValues: [secret], env: {} });
    const b64 = Buffer.from(secret).toString('base64');
    const out = redact({ stdout: `${b64}\n`, stderr: `data:\n  token: ${b64}\n` });
    expect(JSON.stringify(out)).not.toContain(b64);
  });
});

describe('the encoded forms of a secret', () => {
  const secret = 'Zq9tok/en+Xy7 s&cret?';
  const redact = createRedactor({ secretValues: [secret], env: {} });

  it('masks its base64 inside a longer encoded text, at any byte offset (a Basic credential)', () => {
    for (const user of ['u', 'us', 'usr']) {
      const basic = Buffer.from(`${user}:${secret}`).toString('base64');
      const out = redact(`Authorisation-ish: ${basic}`);
      const left = out.slice(out.indexOf(': ') + 2);
      // What stays is only the user part and a character or two at the seams.
      expect(left.replace('***', '').length, `${user}: ${out}`).toBeLessThan(basic.length / 2);
    }
  });

  it('masks its base64url and its URL encoding', () => {
    const url = Buffer.from(secret).toString('base64url');
    const out = redact(`jwt=${url} q=${encodeURIComponent(secret)} f=${encodeURIComponent(secret).replace(/%20/g, '+')}`);
    expect(out).not.toContain(url.slice(2, -2));
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(encodeURIComponent(secret).replace(/%20/g, '+'));
  });

  it('leaves short lines of a multi-line secret alone (a "}" line masked everywhere hides nothing)', () => {
    const pem = 'BEGIN\nAbCdEfGh1234567890longline\n}\n';
    const out = createRedactor({ secretValues: [pem], env: {} })('{ "a": 1 }\nAbCdEfGh1234567890longline\n');
    expect(out).toBe('{ "a": 1 }\n***\n');
  });
});
