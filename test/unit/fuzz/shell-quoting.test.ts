import { deepStrictEqual, match } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ParamsError } from '../../../runner/errors.js';
import { validateParams } from '../../../runner/playbook/params.js';
import { pipeContent } from '../../../runner/shell/command.js';
import { joinArgv, quote } from '../../../runner/shell/quote.js';
import provisionSite from '../../../playbooks/provision-site.js';
import addAuth from '../../../playbooks/add-auth.js';

const dir = mkdtempSync(`${tmpdir()}/vsa-fuzz-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MARK = `${dir}/injected`;

/** Characters a shell gives meaning to, and attempts that would leave a file behind if they ran. */
const META = [
  ...' \t\n\'"`$\\;&|<>(){}[]*?!#~=%^,',
  '$(touch MARK)',
  '`touch MARK`',
  "'; touch MARK; '",
  '"$(touch MARK)"',
  '\\',
].map((s) => s.replace('MARK', MARK));
const char = fc.oneof(
  fc.constantFrom(...META),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
);
// NUL cannot be in a shell word (or any C string): quote() is never given one.
const word = fc.string({ unit: char, maxLength: 24 }).filter((s) => !s.includes('\0'));

/** What `sh -c TEXT` prints, as bytes. */
const sh = (text: string) => execFileSync('sh', ['-c', text], { maxBuffer: 1 << 20 });

// Plain node:assert inside properties: vitest's expect costs tens of ms a call there.
describe('quoting against a real sh', () => {
  it("quote() round-trips any string through sh -c 'printf %s …'", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 20 }), (words) => {
        // One shell per batch; NUL-separated so every word comes back on its own.
        const out = sh(`printf '%s\\0' ${words.map(quote).join(' ')}`);
        deepStrictEqual(out.toString('utf8').split('\0').slice(0, -1), words);
      }),
      { numRuns: 60 },
    );
    expect(existsSync(MARK)).toBe(false);
  });

  it('joinArgv() keeps an argv array as the same words', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (argv) => {
        const out = sh(`set -- ${joinArgv(argv)}; printf '%s\\0' "$@"`);
        deepStrictEqual(out.toString('utf8').split('\0').slice(0, -1), argv);
      }),
      { numRuns: 40 },
    );
    expect(existsSync(MARK)).toBe(false);
  });

  it('pipeContent() delivers any bytes to the consumer without the shell reading them', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          word,
          fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
        ),
        (content) => {
          deepStrictEqual(sh(pipeContent(content, 'cat')), Buffer.from(content));
        },
      ),
      { numRuns: 40 },
    );
    expect(existsSync(MARK)).toBe(false);
  });
});

describe('params validation keeps shell syntax out', () => {
  const SAFE = /^[A-Za-z0-9_/.:=@%+,-]*$/;

  it('a random domain, container or user is refused, or is made only of characters that need no quoting', () => {
    fc.assert(
      fc.property(word, word, word, (domain, container, user) => {
        for (const [pb, vars] of [
          [provisionSite, { domain, container, port: '3000' }],
          [addAuth, { domain, user, password: 'not-checked-here' }],
        ] as const) {
          let params: Record<string, unknown>;
          try {
            params = validateParams(pb, vars);
          } catch (e) {
            if (!(e instanceof ParamsError)) throw e;
            continue;
          }
          for (const k of ['domain', 'container', 'user'] as const) {
            if (typeof params[k] === 'string') match(params[k], SAFE);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts real values (the property above is not vacuous)', () => {
    const p = validateParams(provisionSite, {
      domain: 'shop.example.com',
      container: 'shop_1',
      port: '3000',
    });
    expect(p).toMatchObject({ domain: 'shop.example.com', container: 'shop_1', port: 3000 });
    const a = validateParams(addAuth, { domain: 'shop.example.com', user: 'ops@example', password: 'x' });
    expect(a).toMatchObject({ domain: 'shop.example.com', user: 'ops@example' });
  });
});
