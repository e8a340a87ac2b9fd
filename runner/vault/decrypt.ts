import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { UsageError } from '../errors.js';

const HEADER = /^\$ANSIBLE_VAULT;(1\.1|1\.2);AES256(?:;([^\n]*?))?\s*$/;

/** Whether a file or value is ansible-vault's format (its first line is the header). */
export function isVaultText(text: string): boolean {
  return HEADER.test(text.trimStart().split('\n', 1)[0]!);
}

/** The vault id a 1.2 header names (`$ANSIBLE_VAULT;1.2;AES256;prod`), if any. */
export function vaultLabel(text: string): string | undefined {
  return HEADER.exec(text.trimStart().split('\n', 1)[0]!)?.[2] || undefined;
}

/**
 * Decrypts ansible-vault's AES256 format (VaultAES256 in ansible/parsing/vault): the body is hex
 * of "salt-hex\nhmac-hex\nciphertext-hex"; PBKDF2-HMAC-SHA256 (10000 rounds) of the password and
 * salt gives the AES-256 key, the HMAC-SHA256 key and the CTR counter; the HMAC of the ciphertext
 * is checked before anything is decrypted, and the PKCS#7 padding is removed. A password whose
 * HMAC does not match gives undefined (the caller may try another vault id); malformed text
 * throws, with `what` naming the value or file.
 */
export function decryptVault(text: string, password: string, what: string): string | undefined {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (!HEADER.test(header!)) throw new UsageError(`${what}: not ansible-vault AES256 text`);
  const parts = fromHex(lines.map((l) => l.trim()).join(''), what).toString('latin1').split('\n');
  if (parts.length !== 3) throw new UsageError(`${what}: malformed vault text (expected salt, HMAC and ciphertext)`);
  const [salt, mac, ciphertext] = parts.map((p) => fromHex(p, what)) as [Buffer, Buffer, Buffer];
  const derived = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 10_000, 80, 'sha256');
  const expected = createHmac('sha256', derived.subarray(32, 64)).update(ciphertext).digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', derived.subarray(0, 32), derived.subarray(64, 80));
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  const pad = padded.at(-1) ?? 0;
  if (pad < 1 || pad > 16 || padded.length < pad || !padded.subarray(-pad).every((b) => b === pad)) {
    throw new UsageError(`${what}: malformed vault text (bad padding)`);
  }
  return padded.subarray(0, -pad).toString('utf8');
}

function fromHex(hex: string, what: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new UsageError(`${what}: malformed vault text (not hexadecimal)`);
  return Buffer.from(hex, 'hex');
}
