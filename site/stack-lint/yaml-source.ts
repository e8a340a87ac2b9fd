import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

/** A parsed YAML file that can still say on which line any value sits. */
export interface YamlSource {
  data: unknown;
  errors: { line: number; message: string }[];
  /** Line (1-based) of the key (in a map) or item (in a list) at `path`, or of its nearest existing parent. */
  lineOf(path: readonly PropertyKey[]): number;
}

export function parseYamlSource(text: string): YamlSource {
  const counter = new LineCounter();
  // merge: compose files share settings through `<<: *anchor`.
  const doc = parseDocument(text, { lineCounter: counter, merge: true, prettyErrors: false });
  const lineAt = (offset: number) => counter.linePos(offset).line;
  return {
    data: doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 1000 }),
    errors: doc.errors.map((e) => ({
      line: lineAt(e.pos[0]),
      message: e.message.split('\n')[0] ?? e.message,
    })),
    lineOf: (path) => locate(doc, path, lineAt),
  };
}

function locate(doc: Document, path: readonly PropertyKey[], lineAt: (offset: number) => number): number {
  let node: unknown = doc.contents;
  let line = 1;
  const start = (n: unknown) => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range ? lineAt(range[0]) : line;
  };
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      line = start(pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      line = start(node);
    } else break;
  }
  return line;
}
