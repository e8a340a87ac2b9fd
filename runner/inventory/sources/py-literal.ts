/**
 * Python's `ast.literal_eval`, for the values of INI inventories: Ansible's ini plugin turns
 * `port=22`, `on=True`, `list=[1, 2]` into numbers, booleans and lists this way and keeps
 * anything that is not a Python literal (`yes`, `web-{a}`) as the string it is.
 */
export function pythonLiteral(text: string): unknown {
  try {
    const p = new Parser(text.replace(/^[ \t]+/, ''));
    const value = p.value();
    p.end();
    return value;
  } catch (e) {
    if (e instanceof NotLiteral) return text;
    throw e;
  }
}

class NotLiteral extends Error {}

const number =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?)/;
const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  end(): void {
    this.space();
    if (this.i !== this.s.length) throw new NotLiteral();
  }

  value(): unknown {
    this.space();
    const c = this.s[this.i];
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === '{') return this.mapping();
    if (c === '"' || c === "'") return this.string();
    if (c === '-' || c === '+') {
      this.i++;
      const n = this.value();
      if (typeof n !== 'number') throw new NotLiteral();
      return c === '-' ? -n : n;
    }
    const word = /^(True|False|None)(?![\w])/.exec(this.s.slice(this.i));
    if (word) {
      this.i += word[1]!.length;
      return word[1] === 'None' ? null : word[1] === 'True';
    }
    const m = number.exec(this.s.slice(this.i));
    if (!m || !m[0] || /^[\w]/.test(this.s.slice(this.i + m[0].length))) throw new NotLiteral();
    this.i += m[0].length;
    const digits = m[0].replaceAll('_', '');
    // Python refuses `012`: a decimal with a leading zero.
    if (/^0[0-9]+$/.test(digits) && !/^0+$/.test(digits)) throw new NotLiteral();
    return /^0[xXoObB]/.test(digits) ? Number(digits.toLowerCase()) : Number(digits);
  }

  private sequence(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.space();
      if (this.s[this.i] === close) break;
      out.push(this.value());
      this.space();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new NotLiteral();
    }
    this.i++;
    return out;
  }

  private mapping(): Record<string, unknown> | unknown[] {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.s[this.i] === '}') break;
      const key = this.value();
      this.space();
      if (this.s[this.i] !== ':') throw new NotLiteral();
      this.i++;
      out[key === null ? 'None' : String(key)] = this.value();
      this.space();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new NotLiteral();
    }
    this.i++;
    return out;
  }

  private string(): string {
    const q = this.s[this.i]!;
    this.i++;
    let out = '';
    while (this.i < this.s.length && this.s[this.i] !== q) {
      let c = this.s[this.i++]!;
      if (c === '\\' && this.i < this.s.length) {
        const e = this.s[this.i++]!;
        c = escapes[e] ?? `\\${e}`;
      }
      out += c;
    }
    if (this.s[this.i] !== q) throw new NotLiteral();
    this.i++;
    return out;
  }

  private space(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }
}
