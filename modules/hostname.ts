import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { z } from 'zod';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/**
 * An IP address in any spelling (`1.2.3.4`, `::1`, `[2001:db8::1]`), or a name whose last label is
 * all digits: RFC 1123 keeps top-level labels alphabetic so that no hostname reads as an address.
 */
const isAddress = (s: string) => isIP(s.replace(/^\[(.*)\]$/, '$1')) !== 0 || /(?:^|\.)\d+$/.test(s);

/**
 * A DNS hostname (RFC 1123 labels), lower-cased, in its ASCII (punycode) form, without the
 * trailing dot of the absolute form. Domains become file names, certbot arguments and nginx
 * directives, so nothing else — no IP address, spaces, slashes, quotes or shell metacharacters — gets in.
 */
export const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .overwrite((s) => (/[^\x20-\x7e]/.test(s) ? domainToASCII(s) || s : s).replace(/(?<=.)\.$/, ''))
  .refine((s) => !isAddress(s), { message: 'must be a name, not an IP address', abort: true })
  .max(253)
  .regex(HOSTNAME, 'must be a hostname such as shop.example.com');
