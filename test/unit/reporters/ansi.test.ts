import { describe, expect, it } from 'vitest';
import { ansiLines, applySgr, outputLines, sgrFor, terminalLines } from '../../../runner/reporters/ansi.js';

const ESC = '\u001b';

describe('command output as styled lines', () => {
  it('splits lines as a terminal shows them: CRLF ends a line, a carriage return redraws it', () => {
    expect(outputLines('')).toEqual([]);
    expect(outputLines('a\r\nb\n')).toEqual(['a', 'b']);
    expect(outputLines('a\n\nb')).toEqual(['a', '', 'b']);
    expect(outputLines('10%\r50%\r100%\n')).toEqual(['100%']);
  });

  it('turns SGR sequences into styles that carry across lines until reset', () => {
    const lines = ansiLines(`${ESC}[1;31merror:${ESC}[22m still red\nred too${ESC}[0m plain\n${ESC}[38;5;208morange ${ESC}[48;2;0;128;255mblue`);
    expect(lines.map((l) => l.plain)).toEqual(['error: still red', 'red too plain', 'orange blue']);
    expect(lines[0]!.segments).toEqual([
      { text: 'error:', style: { bold: true, fg: 1 } },
      { text: ' still red', style: { fg: 1 } },
    ]);
    expect(lines[1]!.segments).toEqual([
      { text: 'red too', style: { fg: 1 } },
      { text: ' plain', style: {} },
    ]);
    expect(lines[2]!.segments[1]).toEqual({ text: 'blue', style: { fg: 208, bg: '#0080ff' } });
    expect(applySgr({}, '91;102').fg).toBe(9);
    expect(applySgr({ fg: 3 }, '').fg).toBeUndefined();
  });

  it('drops every other escape and control sequence, and expands tabs', () => {
    const hostile = `${ESC}]0;title${ESC}\\${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\${ESC}[2J${ESC}[10;1H${ESC}Pq#0${ESC}\\\u0007\u009b31mA\tB\u0000`;
    const [line] = ansiLines(hostile);
    expect(line!.plain).toBe(`link31mA${' '.repeat(8)}B`);
    expect(line!.segments.every((s) => Object.keys(s.style).length === 0)).toBe(true);
  });

  it('gives a terminal only the SGR sequences vsa rebuilds, and plain text without colour', () => {
    const text = `${ESC}[31mred${ESC}[0m ${ESC}]0;t${ESC}\\ok\n`;
    expect(terminalLines(text, false)).toEqual(['red ok']);
    expect(terminalLines(text, true)).toEqual([`${ESC}[0;31mred${ESC}[0m ok`]);
    expect(sgrFor({ bold: true, fg: 12, bg: 200 })).toBe(`${ESC}[0;1;94;48;5;200m`);
    expect(sgrFor({ fg: '#ff0001' })).toBe(`${ESC}[0;38;2;255;0;1m`);
  });
});
