import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, it } from 'vitest';
import { InventoryError } from '../../../runner/errors.js';
import { parseInventory } from '../../../runner/inventory/index.js';

/** Keys an inventory uses, and some it must refuse, so random trees look like real (broken) ones. */
const KEYS = [
  'all',
  'hosts',
  'children',
  'vars',
  'web',
  'db',
  'ungrouped',
  'web[01:03]',
  'db-[a:c]',
  'h[1:]',
  'x[3:1]',
  'ansible_host',
  'ansible_port',
  'ansible_user',
  'ansible_connection',
  'ansible_ssh_private_key_file',
  'ansible_ssh_common_args',
  'host',
  'port',
  'user',
  'key',
  'become',
  'jump',
  'plugin',
  '',
  ' ',
  '*',
  '!x',
];
const scalar = fc.oneof(
  fc.constantFrom(
    '10.0.0.1',
    'web1.example.com',
    '::1',
    22,
    '22',
    65536,
    -1,
    0,
    true,
    'yes',
    null,
    '~',
    '[',
    '{{ x }}',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
);
const tree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), tie('node'), {
      maxKeys: 5,
    }),
  ),
})).node;

/** A valid inventory to cut and splice: random edits of real text find the parser's corners. */
const VALID = `all:
  hosts:
    web[01:02]:
      ansible_host: 10.0.0.1
  children:
    db:
      hosts:
        db1: { ansible_port: 2222, ansible_user: root }
      vars:
        backup: yes
  vars:
    ansible_ssh_common_args: -o StrictHostKeyChecking=yes
`;
const edit = fc.record({
  at: fc.nat({ max: VALID.length }),
  cut: fc.nat({ max: 8 }),
  insert: fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom(
      ':',
      '\n',
      '  ',
      '- ',
      '{',
      '}',
      '[',
      ']',
      '&a',
      '*a',
      '!!',
      '|',
      '>',
      '"',
      "'",
      '#',
      '\t',
      '%',
    ),
  ),
});

/** Parses, and lets only an InventoryError naming the source through. */
function parseOrInventoryError(text: string): void {
  try {
    parseInventory(text, 'fuzz.yml');
  } catch (e) {
    if (!(e instanceof InventoryError)) throw e;
    // Plain checks: vitest's expect costs tens of ms a call inside a property.
    if (!e.message.startsWith('fuzz.yml') || e.message.includes('\n')) {
      throw new Error(`not a one-line message naming the file: ${JSON.stringify(e.message)}`);
    }
  }
}

describe('the inventory parser on random input', () => {
  it('random YAML trees load or fail with an InventoryError, never anything else', () => {
    fc.assert(
      fc.property(tree, (t) => parseOrInventoryError(stringify(t))),
      { numRuns: 200 },
    );
  });

  it('random edits of a valid inventory load or fail with an InventoryError', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = VALID;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.cut);
        parseOrInventoryError(text);
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes fail with an InventoryError or load', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), parseOrInventoryError), {
      numRuns: 100,
    });
  });
});
