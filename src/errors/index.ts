/**
 * The few error types greenshoots raises on purpose. Each has a stable `code`, a one-line
 * message that says what to do, and the exit code the CLI ends with.
 */
export class GreenshootsError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 1;
  }
}

/** A bad or missing setting in the environment or `.env` (exit 78, EX_CONFIG). */
export class ConfigError extends GreenshootsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG', message, { ...options, exitCode: 78 });
  }
}

/** A bad command line: unknown option, missing argument, conflicting flags (exit 64, EX_USAGE). */
export class UsageError extends GreenshootsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, { ...options, exitCode: 64 });
  }
}

/** The database cannot be reached, refused us, or failed a statement. */
export class DatabaseError extends GreenshootsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DATABASE', message, { ...options, exitCode: 69 });
  }
}

/** A migration file was edited after it was applied, or is missing, or failed. */
export class MigrationError extends GreenshootsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MIGRATION', message, { ...options, exitCode: 70 });
  }
}

/** A landscape file or repo list could not be read, fetched or parsed (exit 65, EX_DATAERR). */
export class InputError extends GreenshootsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INPUT', message, { ...options, exitCode: 65 });
  }
}

/** The message of any thrown value, for one-line reports. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
