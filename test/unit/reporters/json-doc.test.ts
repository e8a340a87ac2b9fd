import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createReporter } from '../../../runner/reporters/index.js';
import { eventNames } from '../../../runner/events/wire.js';
import { bufferStream, failedRun, interruptedRun, play } from './script.js';

// Keeps docs/json-events.md true: its tables and example lines are checked against each other and
// against what the json reporter really writes.

interface Field {
  type: string;
  always: boolean;
}
interface Section {
  fields: Map<string, Field>;
  examples: string[];
}

function parseDoc(): Map<string, Section> {
  const text = readFileSync(new URL('../../../docs/json-events.md', import.meta.url), 'utf8');
  const sections = new Map<string, Section>();
  for (const part of text.split(/^## /m).slice(1)) {
    const heading = (part.split('\n')[0] as string).replace(/`/g, '').trim();
    const fields = new Map<string, Field>();
    for (const row of part.matchAll(/^\| `(\w+)` +\| ([\w[\]]+) +\| (always|optional) +\|/gm)) {
      fields.set(row[1] as string, { type: row[2] as string, always: row[3] === 'always' });
    }
    const examples = [...part.matchAll(/```jsonl\n([\s\S]*?)```/g)].flatMap((m) =>
      (m[1] as string).split('\n').filter(Boolean),
    );
    sections.set(heading, { fields, examples });
  }
  return sections;
}

const doc = parseDoc();
const counts = doc.get('Host counts') as Section;

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? 'string[]' : 'array';
  return value === null ? 'null' : typeof value;
}

/** Every problem of one event against the documented fields of its type (empty when it conforms). */
function problems(event: Record<string, unknown>): string[] {
  const section = doc.get(String(event.type));
  if (!section) return [`undocumented type ${String(event.type)}`];
  const found: string[] = [];
  for (const [name, field] of section.fields) {
    if (!(name in event)) {
      if (field.always) found.push(`${event.type}: missing ${name}`);
    } else if (typeOf(event[name]) !== field.type) {
      found.push(`${event.type}.${name}: ${typeOf(event[name])}, documented ${field.type}`);
    }
  }
  for (const name of Object.keys(event)) {
    if (!section.fields.has(name)) found.push(`${event.type}: undocumented field ${name}`);
  }
  const stats =
    event.type === 'host:end'
      ? [event.stats]
      : event.type === 'run:end'
        ? Object.values(event.recap ?? {})
        : [];
  for (const s of stats as Record<string, unknown>[]) {
    expect(Object.keys(s).sort()).toEqual([...counts.fields.keys()].sort());
    expect(Object.values(s).every((n) => typeof n === 'number')).toBe(true);
  }
  return found;
}

describe('docs/json-events.md', () => {
  it('documents every event type, and only those', () => {
    const documented = [...doc.keys()].filter((h) => h !== 'Host counts');
    expect(documented.sort()).toEqual([...eventNames].sort());
    expect([...counts.fields.keys()]).toEqual([
      'ok',
      'changed',
      'failed',
      'skipped',
      'unreachable',
      'ignored',
    ]);
  });

  it.each(eventNames)('%s: the example lines parse and carry exactly the documented fields', (type) => {
    const section = doc.get(type) as Section;
    expect(section.examples.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const line of section.examples) {
      const event = JSON.parse(line) as Record<string, unknown>;
      expect(event.type).toBe(type);
      expect(new Date(String(event.time)).toISOString()).toBe(event.time);
      expect(problems(event)).toEqual([]);
      for (const key of Object.keys(event)) seen.add(key);
    }
    // Optional fields too: each documented field is shown in some example.
    expect([...seen].sort()).toEqual([...section.fields.keys()].sort());
  });

  it('matches what the json reporter writes', async () => {
    for (const diff of [true, false]) {
      const buf = bufferStream();
      const sink = await createReporter('json', { out: buf.stream, color: false, diff, verbose: false });
      await play(sink, [...failedRun, ...interruptedRun]);
      const lines = buf.text().trim().split('\n');
      expect(lines).toHaveLength(failedRun.length + interruptedRun.length);
      for (const line of lines) expect(problems(JSON.parse(line))).toEqual([]);
    }
  });

  it('flags an event that drifts from the doc', () => {
    const line = JSON.parse(doc.get('host:start')?.examples[0] as string);
    expect(problems({ ...line, extra: 1 })).toEqual(['host:start: undocumented field extra']);
    expect(problems({ ...line, host: 3 })).toEqual(['host:start.host: number, documented string']);
    const withoutRunId = { ...line };
    delete withoutRunId.runId;
    expect(problems(withoutRunId)).toEqual(['host:start: missing runId']);
  });
});
