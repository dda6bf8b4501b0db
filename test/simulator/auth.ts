/** Maps an Authorization header to the simulated user it acts as. */
import type { IncomingHttpHeaders } from 'node:http';

export interface TokenConfig {
  user: string;
  /** Repos (owner/name) this user is a collaborator of: they may read those repos' stargazers. */
  collaboratorOf?: string[];
}

export type Caller =
  | { kind: 'user'; user: string; userId: number; collaboratorOf: ReadonlySet<string> }
  | { kind: 'anonymous'; user: string }
  | { kind: 'bad-credentials' };

/** Reads `token X` / `Bearer X`; with a token table, unknown tokens are bad credentials, else any token is its own user. */
export function identify(headers: IncomingHttpHeaders, remoteAddress: string | undefined, tokens?: Record<string, TokenConfig>): Caller {
  const header = headers.authorization;
  const match = header ? /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) {
    if (header) return { kind: 'bad-credentials' };
    return { kind: 'anonymous', user: `anonymous@${remoteAddress ?? 'unknown'}` };
  }
  const token = match[1];
  if (tokens) {
    const config = tokens[token];
    if (!config) return { kind: 'bad-credentials' };
    return { kind: 'user', user: config.user, userId: userIdOf(config.user), collaboratorOf: new Set((config.collaboratorOf ?? []).map((r) => r.toLowerCase())) };
  }
  return { kind: 'user', user: token, userId: userIdOf(token), collaboratorOf: new Set() };
}

/** A stable numeric id for a login, as GitHub shows in "rate limit exceeded for user ID N". */
export function userIdOf(login: string): number {
  let h = 7;
  for (const c of login) h = (h * 31 + c.charCodeAt(0)) % 90_000_000;
  return 10_000_000 + h;
}
