/**
 * Ansible's host-address grammar (ansible/parsing/utils/addresses.py), ported so host keys such as
 * `web1:2222` and patterns such as `fe80::1` are split exactly where Ansible splits them.
 */
const numericRange = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
// Both cases spelled out instead of the `i` flag: with `u`, `i` makes V8 case-fold every class when
// it compiles these patterns, about 10 ms of every run's start.
const hexRange = String.raw`\[(?:[0-9a-fA-F]+:[0-9a-fA-F]+)(?::[0-9]+)?\]`;
const alnumRange = String.raw`\[(?:[a-zA-Z]:[a-zA-Z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const word = String.raw`[\p{L}\p{N}_]`;

const i6 = `(?:[0-9a-fA-F]{1,4}|${hexRange})`;
const i4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${numericRange})`;
const label = `(?:${word}|${alnumRange})(?:${word}|-|${alnumRange})*(?<![_-])`;

const bracketedHostPort = /^\[(.+)\]:([0-9]+)$/;
const hostPort = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const ipv4 = new RegExp(`^(?:${i4}\\.){3}${i4}$`);
// Python's `^a|b|…|z$` anchors only the first alternative at the start and the last at the end;
// re.match anchors every alternative at the start, hence the group with `$` inside.
const ipv6 = new RegExp(
  '^(?:' +
    [
      `(?:${i6}:){7}${i6}`,
      `(?:${i6}:){1,6}:`,
      `(?:${i6}:)(?::${i6}){1,6}`,
      `(?:${i6}:){2}(?::${i6}){1,5}`,
      `(?:${i6}:){3}(?::${i6}){1,4}`,
      `(?:${i6}:){4}(?::${i6}){1,3}`,
      `(?:${i6}:){5}(?::${i6}){1,2}`,
      `(?:${i6}:){6}(?::${i6})`,
      `:(?::${i6}){1,6}`,
      `${i6}?::`,
      `(?:0:){6}(?:${i6}\\.){3}${i6}`,
      `::(?:[fF]{4}:)?(?:${i6}\\.){3}${i6}`,
      `(?:0:){5}[fF]{4}:(?:${i6}\\.){3}${i6}$`,
    ].join('|') +
    ')',
);
// \p{L} holds both cases already.
const hostname = new RegExp(`^${label}(?:\\.${label})*$`, 'u');
// The same grammar for ASCII names, the usual case: V8 compiles it in a fraction of the time the
// Unicode classes take, and a name it refuses still goes to `hostname`.
const asciiWord = '[A-Za-z0-9_]';
const asciiLabel = `(?:${asciiWord}|${alnumRange})(?:${asciiWord}|-|${alnumRange})*(?<![_-])`;
const asciiHostname = new RegExp(`^${asciiLabel}(?:\\.${asciiLabel})*$`);

export interface Address {
  host: string;
  port?: number;
}

/** `host[:port]`, `[v6-or-host]:port`, or a bare IPv6 address; undefined when it is none of these. */
export function parseAddress(text: string): Address | undefined {
  let host = text;
  let port: number | undefined;
  for (const re of [bracketedHostPort, hostPort]) {
    const m = re.exec(host);
    if (m) {
      host = m[1]!;
      port = Number(m[2]);
    }
  }
  if (!ipv4.test(host) && !asciiHostname.test(host) && !ipv6.test(host) && !hostname.test(host)) return undefined;
  return port === undefined ? { host } : { host, port };
}
