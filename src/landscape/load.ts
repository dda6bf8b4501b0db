import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { InputError } from '../errors/index.js';
import type { ParsedList } from './items.js';
import { parseLandscape } from './parse-landscape.js';
import { parseList } from './parse-list.js';

export interface LoadedList {
  location: string;
  sha256: string;
  parsed: ParsedList;
}

export type ListSource = { file: string } | { url: string };

const FETCH_TIMEOUT_MS = 60_000;

/** Reads a landscape.yml or a custom list from a file or URL and parses it; nothing is written. */
export async function loadList(source: ListSource, fetchImpl: typeof fetch = fetch): Promise<LoadedList> {
  const location = 'file' in source ? source.file : source.url;
  const body = 'file' in source ? await readListFile(source.file) : await fetchList(source.url, fetchImpl);
  return { location, sha256: createHash('sha256').update(body).digest('hex'), parsed: parseListText(body, location) };
}

/** Parses YAML (or JSON, a subset of YAML) and picks the landscape or custom-list reader. */
export function parseListText(body: string, location: string): ParsedList {
  const doc = parseDocument(body, { uniqueKeys: false, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    const why = error.message.split('\n')[0];
    throw new InputError(`${location}: invalid YAML${where} (${why}): fix the file and import again`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || value === undefined) throw new InputError(`${location}: the file is empty`);
  if (typeof value === 'object' && !Array.isArray(value) && 'landscape' in value) {
    return parseLandscape(value as { landscape: unknown });
  }
  if (typeof value !== 'object') {
    throw new InputError(`${location}: expected a landscape.yml or a list of repos, found a ${typeof value}`);
  }
  return parseList(value);
}

async function readListFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InputError(`cannot read ${file} (${why}): check the path given to --file or LANDSCAPE_FILE`, { cause: err });
  }
}

async function fetchList(url: string, fetchImpl: typeof fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new InputError(`cannot fetch ${url} (${cause}): check the URL and the network, or import a local copy with --file`, {
      cause: err,
    });
  }
  if (!response.ok) {
    throw new InputError(`cannot fetch ${url} (HTTP ${response.status}): check the URL given to --url or LANDSCAPE_URL`);
  }
  return response.text();
}
