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
