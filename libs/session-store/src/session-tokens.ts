import { createHash, randomBytes } from 'node:crypto';

/** Random bytes in a session token: 256 bits. */
export const SESSION_TOKEN_BYTES = 32;

/** What every token looks like: 43 base64url characters (32 bytes, unpadded). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Makes a new secret session token: 256 bits from the cryptographic random source, in base64url. */
export function generateSessionToken(): string {
  return randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
}

/** True when `value` has the shape of a session token (it may still find no session). */
export function isWellFormedSessionToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/**
 * The name a session is stored under: the token's SHA-256 in hex. A token has 256 random bits, so a plain
 * hash is enough (nothing to brute-force, no salt needed) and the stored name cannot be turned back into it.
 */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * True when `value` is a token as {@link generateSessionToken} makes them: 43 base64url characters that
 * encode exactly 32 bytes (the last character carries no stray bits), so one token has one spelling.
 */
export function isCanonicalSessionToken(value: unknown): value is string {
  return isWellFormedSessionToken(value) && Buffer.from(value, 'base64url').toString('base64url') === value;
}
