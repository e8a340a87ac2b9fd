/**
 * A command's output as lines of styled text, as a terminal would show it: SGR colour sequences
 * become styles, every other escape or control sequence (cursor moves, titles, hyperlinks, bells)
 * is dropped, and a carriage return starts the line over. Both the dashboard's log view and
 * `vsa history show --output` read output through this, so they show the same text, and neither
 * passes a host's control sequences on to a browser or a terminal.
 */

/** 0–255: the terminal palette; a string: `#rrggbb` from a 24-bit sequence. */
export type AnsiColor = number | string;

export interface AnsiStyle {
  fg?: AnsiColor;
  bg?: AnsiColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

export interface AnsiLine {
  segments: AnsiSegment[];
  /** The line without styles, for search, copy and download. */
  plain: string;
}

const TAB = 8;
// CSI (SGR is the one kept), OSC and the string sequences (DCS, SOS, PM, APC) up to their end,
// any other escape, and the C0 and C1 control characters but tab.
const SEQUENCE =
  // eslint-disable-next-line no-control-regex -- finding control characters is what it is for
  /\u001b\[([0-?]*)[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[ -/]*[0-~]?|[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** The lines of a stream: no empty last line for the final newline; CRLF is one line end. */
export function outputLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => {
    const line = l.endsWith('\r') ? l.slice(0, -1) : l;
    const cr = line.lastIndexOf('\r');
    // What a progress bar redrew last is what the terminal ends up showing.
    return cr < 0 ? line : line.slice(cr + 1);
  });
}

/** Every line of `text` with its styles; a style set on one line carries on to the next, as on a terminal. */
export function ansiLines(text: string): AnsiLine[] {
  let style: AnsiStyle = {};
  return outputLines(text).map((line) => {
    const parsed = parseLine(line, style);
    style = parsed.end;
    return parsed.line;
  });
}

function parseLine(line: string, start: AnsiStyle): { line: AnsiLine; end: AnsiStyle } {
  const segments: AnsiSegment[] = [];
  let style = start;
  let plain = '';
  const push = (raw: string) => {
    if (!raw) return;
    let text = '';
    for (const ch of raw) text += ch === '\t' ? ' '.repeat(TAB - ((plain.length + text.length) % TAB)) : ch;
    plain += text;
    const last = segments[segments.length - 1];
    if (last && last.style === style) last.text += text;
    else segments.push({ text, style });
  };
  let at = 0;
  for (const m of line.matchAll(SEQUENCE)) {
    push(line.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[0].startsWith('\u001b[') && m[0].endsWith('m') && m[1] !== undefined) style = applySgr(style, m[1]);
  }
  push(line.slice(at));
  return { line: { segments, plain }, end: style };
}

const basic = (code: number, base: number): number => code - base + (code >= base + 60 ? -60 + 8 : 0);

/** The style after one SGR sequence's parameters (`1;31`, `38;5;208`, `38;2;255;0;0`, `` = reset). */
export function applySgr(from: AnsiStyle, params: string): AnsiStyle {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  const s: AnsiStyle = { ...from };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) for (const k of Object.keys(s)) delete s[k as keyof AnsiStyle];
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 7) s.inverse = true;
    else if (c === 22) {
      delete s.bold;
      delete s.dim;
    }
    else if (c === 23) delete s.italic;
    else if (c === 24) delete s.underline;
    else if (c === 27) delete s.inverse;
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) s.fg = basic(c, 30);
    else if ((c >= 40 && c <= 47) || (c >= 100 && c <= 107)) s.bg = basic(c, 40);
    else if (c === 39) delete s.fg;
    else if (c === 49) delete s.bg;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? 'fg' : 'bg';
      const color = extendedColor(codes, i + 1);
      if (color) {
        s[key] = color.value;
        i += color.used;
      } else break;
    }
  }
  return s;
}

function extendedColor(codes: number[], at: number): { value: AnsiColor; used: number } | undefined {
  const byte = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n >= 0 && n <= 255 ? n : undefined);
  if (codes[at] === 5) {
    const n = byte(codes[at + 1]);
    return n === undefined ? undefined : { value: n, used: 2 };
  }
  if (codes[at] === 2) {
    const rgb = [codes[at + 1], codes[at + 2], codes[at + 3]].map(byte);
    if (rgb.some((v) => v === undefined)) return undefined;
    return { value: `#${rgb.map((v) => v!.toString(16).padStart(2, '0')).join('')}`, used: 4 };
  }
  return undefined;
}

/** The SGR sequence that sets exactly `style` from a reset, for a terminal. */
export function sgrFor(style: AnsiStyle): string {
  const p: (string | number)[] = [0];
  if (style.bold) p.push(1);
  if (style.dim) p.push(2);
  if (style.italic) p.push(3);
  if (style.underline) p.push(4);
  if (style.inverse) p.push(7);
  const color = (c: AnsiColor | undefined, base: number) => {
    if (c === undefined) return;
    if (typeof c === 'string') p.push(`${base + 8};2;${[1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).join(';')}`);
    else if (c < 8) p.push(base + c);
    else if (c < 16) p.push(base + 60 + c - 8);
    else p.push(`${base + 8};5;${c}`);
  };
  color(style.fg, 30);
  color(style.bg, 40);
  return `\u001b[${p.join(';')}m`;
}

/**
 * A stream's lines for a terminal: only SGR sequences vsa writes itself (rebuilt from the styles,
 * so nothing the host sent reaches the terminal as a control sequence), and none without colour.
 */
export function terminalLines(text: string, color: boolean): string[] {
  return ansiLines(text).map((l) => {
    if (!color) return l.plain;
    const styled = l.segments.map((s) => (Object.keys(s.style).length ? `${sgrFor(s.style)}${s.text}\u001b[0m` : s.text));
    return styled.join('');
  });
}
