import { z } from 'zod';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/**
 * A DNS hostname (RFC 1123 labels), lower-cased. Domains become file names, certbot arguments and
 * nginx directives, so nothing else — no spaces, slashes, quotes or shell metacharacters — gets in.
 */
export const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(HOSTNAME, 'must be a hostname such as shop.example.com');
