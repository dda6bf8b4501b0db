/** Postgres SQLSTATE codes greenshoots reacts to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const SQLSTATE = {
  UNIQUE_VIOLATION: '23505',
  INVALID_CATALOG_NAME: '3D000',
  INVALID_PASSWORD: '28P01',
  INVALID_AUTHORIZATION: '28000',
  UNDEFINED_TABLE: '42P01',
  DUPLICATE_TABLE: '42P07',
  DUPLICATE_OBJECT: '42710',
  SYNTAX_ERROR: '42601',
  ADMIN_SHUTDOWN: '57P01',
  CANNOT_CONNECT_NOW: '57P03',
} as const;

/** The SQLSTATE of a Postgres error (pg or PGlite), or the Node error code (ECONNREFUSED …). */
export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  if (err instanceof AggregateError) return errorCode(err.errors[0]);
  return undefined;
}

/** One line that says what went wrong reaching a Postgres server, and what to do. */
export function describePgError(err: unknown, location: string): string {
  const code = errorCode(err);
  const where = `Postgres at ${location}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach ${where} (connection refused): start the server, or fix DATABASE_URL`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${where} (unknown host): fix the host in DATABASE_URL`;
    case 'ETIMEDOUT':
      return `cannot reach ${where} (timed out): check the host, port and firewall in DATABASE_URL`;
    case SQLSTATE.INVALID_CATALOG_NAME:
      return `${where}: the database does not exist: create it (createdb NAME) or fix DATABASE_URL`;
    case SQLSTATE.INVALID_PASSWORD:
    case SQLSTATE.INVALID_AUTHORIZATION:
      return `${where} refused the login: check the user and password in DATABASE_URL`;
    case SQLSTATE.CANNOT_CONNECT_NOW:
    case SQLSTATE.ADMIN_SHUTDOWN:
      return `${where} is starting up or shutting down: try again in a moment`;
    default: {
      const message = err instanceof Error && err.message ? err.message : String(code ?? err);
      return `cannot use ${where}: ${message.split('\n')[0]}`;
    }
  }
}
