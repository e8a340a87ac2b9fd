import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, readAuditLog } from '../../../runner/store/index.js';
import { useTempHome } from './helpers.js';

describe('AuditLog', () => {
  const tempHome = useTempHome();

  it('appends one JSON line per event, owner-only', () => {
    const file = join(tempHome(), 'audit.jsonl');
    const log = new AuditLog(file);
    log.append({ type: 'a', n: 1 });
    log.append({ type: 'b', text: 'two\nlines' });
    log.close();
    expect(readFileSync(file, 'utf8')).toBe('{"type":"a","n":1}\n{"type":"b","text":"two\\nlines"}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotates by size, keeping the old files as .1, .2 and dropping beyond keep', () => {
    const file = join(tempHome(), 'audit.jsonl');
    const log = new AuditLog(file, { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 12; i++) log.append({ i, pad: 'x'.repeat(30) });
    log.close();
    const all = [file, `${file}.1`, `${file}.2`].map((f) => readAuditLog<{ i: number }>(f).events.map((e) => e.i));
    expect(existsSync(`${file}.3`)).toBe(false);
    // Newest in the live file, then .1, then .2; every file under the limit.
    expect(all.flat().sort((a, b) => a - b)).toEqual([...all[2]!, ...all[1]!, ...all[0]!]);
    expect(all[0]).toContain(11);
    for (const f of [file, `${file}.1`]) expect(statSync(f).size).toBeLessThanOrEqual(100);
  });

  it('after a power cut, starts a fresh line so only the torn one is lost', () => {
    const file = join(tempHome(), 'audit.jsonl');
    writeFileSync(file, '{"type":"run:start","runId":"r1"}\n{"type":"task:res');
    const log = new AuditLog(file);
    log.append({ type: 'run:start', runId: 'r2' });
    log.close();
    const r = readAuditLog<{ runId: string }>(file);
    expect(r.events.map((e) => e.runId)).toEqual(['r1', 'r2']);
    expect(r.bad).toHaveLength(1);
    expect(r.bad[0]?.line).toBe(2);
  });
});

describe('readAuditLog', () => {
  const tempHome = useTempHome();

  it('tolerates and reports a truncated last line', () => {
    const file = join(tempHome(), 'audit.jsonl');
    writeFileSync(file, '{"a":1}\n{"a":2}\n');
    appendFileSync(file, '{"a":3,"tex');
    const r = readAuditLog<{ a: number }>(file);
    expect(r.events).toEqual([{ a: 1 }, { a: 2 }]);
    expect(r.truncated).toBe(true);
    expect(r.bad).toEqual([expect.objectContaining({ line: 3, text: '{"a":3,"tex' })]);
  });

  it('reports a complete file as clean', () => {
    const file = join(tempHome(), 'audit.jsonl');
    writeFileSync(file, '{"a":1}\n');
    expect(readAuditLog(file)).toEqual({ events: [{ a: 1 }], bad: [], truncated: false });
  });
});
