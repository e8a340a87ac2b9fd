import type { CSSProperties } from 'react';
import type { AnsiColor, AnsiSegment, AnsiStyle } from '../../../../runner/reporters/ansi';

const CUBE = [0, 95, 135, 175, 215, 255];

/** The xterm colour of a palette index from 16 up, or a 24-bit colour as it came. */
function rgb(c: AnsiColor): string {
  if (typeof c === 'string') return c;
  if (c >= 232) {
    const v = 8 + (c - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const n = c - 16;
  return `rgb(${CUBE[Math.floor(n / 36)]},${CUBE[Math.floor(n / 6) % 6]},${CUBE[n % 6]})`;
}

function look(s: AnsiStyle): { className: string; style: CSSProperties } {
  const [fg, bg] = s.inverse ? [s.bg ?? 'default-bg', s.fg ?? 'default-fg'] : [s.fg, s.bg];
  const classes: string[] = [];
  const style: CSSProperties = {};
  // The 16 palette colours are classes, so the stylesheet picks shades readable on its background.
  const color = (c: AnsiColor | 'default-fg' | 'default-bg' | undefined, kind: 'fg' | 'bg') => {
    if (c === undefined) return;
    if (c === 'default-fg' || c === 'default-bg') classes.push(`ansi-${kind}-${c}`);
    else if (typeof c === 'number' && c < 16) classes.push(`ansi-${kind}-${c}`);
    else style[kind === 'fg' ? 'color' : 'backgroundColor'] = rgb(c);
  };
  color(fg, 'fg');
  color(bg, 'bg');
  if (s.bold) classes.push('ansi-bold');
  if (s.dim) classes.push('ansi-dim');
  if (s.italic) classes.push('ansi-italic');
  if (s.underline) classes.push('ansi-underline');
  return { className: classes.join(' '), style };
}

/** Styled output as text nodes in spans: whatever a host printed shows as the characters it is. */
export function AnsiText({ segments }: { segments: readonly AnsiSegment[] }) {
  return (
    <>
      {segments.map((s, i) => {
        if (Object.keys(s.style).length === 0) return s.text;
        const { className, style } = look(s.style);
        return (
          <span key={i} className={className || undefined} style={style}>
            {s.text}
          </span>
        );
      })}
    </>
  );
}
