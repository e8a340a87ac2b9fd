/**
 * The shapes a secret value takes on its way into output besides itself: each line of a
 * multi-line value (a diff prints them one per `+` line), its base64 and base64url (a Kubernetes
 * secret, `echo | base64`, a Basic credential) and its URL encoding (a query string, a DSN).
 */

/** Shorter lines and encodings are left alone: they would mask unrelated text and hide nothing. */
export const MIN_FORM_LENGTH = 8;

export function secretForms(value: string): string[] {
  const lines = value.split(/\r?\n/).map((l) => l.trim());
  const forms = [value, ...(lines.length > 1 ? lines : []), ...base64Cores(value)];
  const url = encodeURIComponent(value);
  if (url !== value) forms.push(url, url.replace(/%20/g, '+'));
  return forms.filter((f, i) => (i === 0 || f.length >= MIN_FORM_LENGTH) && forms.indexOf(f) === i);
}

/**
 * The base64 text of `value` wherever it sits in a longer encoded stream: it starts at one of three
 * byte offsets, so there are three encodings. Of each, only the characters made of the value's
 * bits alone are kept (the first and last few also carry bits of their neighbours).
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    const head = Math.ceil((offset * 8) / 6);
    const tail = (offset + bytes.length) % 3 === 0 ? 0 : 1;
    const core = encoded.slice(head, encoded.length - tail);
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}
