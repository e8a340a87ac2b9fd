import {
  isAlias,
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type ScalarTag,
  type Tags,
} from 'yaml';
import { InventoryError } from '../errors.js';

export type YamlPath = readonly string[];

/** A parsed YAML file: its plain data, and a way back from a path in it to a line number. */
export interface YamlSource {
  data: unknown;
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
  ];
}

/** Parses one YAML document; syntax errors and duplicate keys become an InventoryError with the line. */
export function readYaml(text: string, source: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    customTags: ansibleTags,
    uniqueKeys: true,
    lineCounter,
  });
  const err = doc.errors[0];
  if (err) {
    const message =
      err.code === 'MULTIPLE_DOCS'
        ? 'an inventory is one YAML document, this file has several'
        : err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new InventoryError(message, source, err.linePos?.[0].line);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InventoryError(e instanceof Error ? e.message : String(e), source);
  }
  return { data, lineOf: (path) => lineOf(doc, lineCounter, path) };
}

function lineOf(doc: Document, lines: LineCounter, path: YamlPath): number | undefined {
  const at = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  let node: unknown = doc.contents;
  let line = at(isMap(node) ? node.range?.[0] : undefined);
  for (const key of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) break;
    line = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? line;
    node = pair.value;
  }
  return line;
}
