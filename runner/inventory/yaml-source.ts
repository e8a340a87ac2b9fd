import {
  isAlias,
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type ScalarTag,
  type Tags,
} from 'yaml';
import { InventoryError } from '../errors.js';
import { VAULT_KEY } from '../vault/vaulted.js';

export type YamlPath = readonly string[];

/** A parsed YAML file: its plain data, and a way back from a path in it to a line number. */
export interface YamlSource {
  data: unknown;
  source: string;
  /** The line of the key at `path`, or of its nearest ancestor that can be found. */
  lineOf(path: YamlPath): number | undefined;
}

const BOOL = 'tag:yaml.org,2002:bool';
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';

function pyYamlBool(value: boolean, test: RegExp): ScalarTag {
  return { tag: BOOL, default: true, identify: (v) => v === value, test, resolve: () => value };
}

/**
 * Ansible reads inventories with PyYAML (YAML 1.1). The `yaml` package's 1.1 schema also takes
 * `y`/`n` as booleans and dates as timestamps, which PyYAML's loader does not, so those two tags
 * are swapped for PyYAML's rules and variables come out exactly as Ansible sees them.
 */
function ansibleTags(tags: Tags): Tags {
  return [
    ...tags.filter((t) =>
      typeof t === 'string' ? t !== 'bool' && t !== 'timestamp' : t.tag !== BOOL && t.tag !== TIMESTAMP,
    ),
    pyYamlBool(true, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/),
    pyYamlBool(false, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/),
    vaultTag,
  ];
}

/**
 * `!vault |` values stay encrypted as the object Ansible's JSON shows them as, so `--list` prints
 * what ansible-inventory prints; a run decrypts them (runner/vault).
 */
const vaultTag: ScalarTag = {
  tag: '!vault',
  identify: () => false,
  resolve: (text) => ({ [VAULT_KEY]: text }),
};

const STACK_OVERFLOW = /^Maximum call stack size exceeded/;

/** Parses one YAML document; syntax errors and duplicate keys become an InventoryError with the line. */
export function readYaml(text: string, source: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    customTags: ansibleTags,
    // The library's own check compares each key with every earlier one (quadratic: minutes for a
    // 10 MB inventory); duplicateKey does it with one Set per mapping.
    uniqueKeys: false,
    lineCounter,
  });
  const err = doc.errors[0];
  if (err) {
    const message =
      err.code === 'MULTIPLE_DOCS'
        ? 'an inventory is one YAML document, this file has several'
        : // The parser reports its own stack overflow as a syntax error: say what in the file causes it.
          STACK_OVERFLOW.test(err.message)
          ? 'the YAML nests too deeply to be read (hundreds of levels of lists or mappings); an inventory nests a few'
          : err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new InventoryError(message, source, err.linePos?.[0].line);
  }
  const dup = duplicateKey(doc);
  if (dup) throw new InventoryError(`duplicate key '${dup.key}': map keys must be unique`, source, at(lineCounter, dup.offset));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InventoryError(e instanceof Error ? e.message : String(e), source);
  }
  return { data, source, lineOf: (path) => lineOf(doc, lineCounter, path) };
}

/** The first key that repeats an earlier key of its mapping (compared as YAML does: by value). */
function duplicateKey(doc: Document): { key: string; offset?: number } | undefined {
  let found: { key: string; offset?: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) {
          found = { key: String(key.value), offset: key.range?.[0] };
          return visit.BREAK;
        }
        seen.add(key.value);
      }
      return undefined;
    },
  });
  return found;
}

const at = (lines: LineCounter, offset: number | undefined) =>
  offset === undefined ? undefined : lines.linePos(offset).line;

function lineOf(doc: Document, lines: LineCounter, path: YamlPath): number | undefined {
  let node: unknown = doc.contents;
  let line = at(lines, isMap(node) ? node.range?.[0] : undefined);
  for (const key of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) break;
    line = at(lines, isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? line;
    node = pair.value;
  }
  return line;
}
