import { createHash } from 'node:crypto';

/**
 * SHA-256 hex of an email, trimmed and lower-cased, so the same address always gives the same key.
 * An unsalted hash is a pseudonym, not anonymity (a known address can be hashed and matched); what
 * it guarantees is that the address itself is never stored.
 */
export function hashEmail(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * A commit author's key: `login:<login>` when GitHub links the commit to a user, else
 * `email:<sha256 hex>` of the author email, else null (no email at all).
 */
export function authorKey(author: { email?: string | null; user?: { login: string } | null } | null): string | null {
  const login = author?.user?.login;
  if (login) return `login:${login}`;
  const email = author?.email?.trim();
  if (email) return `email:${hashEmail(email)}`;
  return null;
}
