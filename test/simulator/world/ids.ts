/** GitHub-style global node ids (opaque, prefixed by type), e.g. `R_kgDOAbCdEf`. */

/** The node id of an object of kind `prefix` with `databaseId`. */
export function nodeId(prefix: string, databaseId: number): string {
  return `${prefix}_kgDO${Buffer.from(String(databaseId)).toString('base64url')}`;
}

/** The database id inside a node id made by `nodeId`, or null. */
export function parseNodeId(id: string): { prefix: string; databaseId: number } | null {
  const m = /^([A-Z]+)_kgDO([A-Za-z0-9_-]+)$/.exec(id);
  if (!m?.[1] || !m[2]) return null;
  const databaseId = Number(Buffer.from(m[2], 'base64url').toString());
  return Number.isSafeInteger(databaseId) ? { prefix: m[1], databaseId } : null;
}

/** A stable numeric id for a login that has no record of its own. */
export function ownerIdOf(login: string): number {
  let h = 17;
  for (const ch of login.toLowerCase()) h = (h * 33 + ch.charCodeAt(0)) % 150_000_000;
  return 1_000 + h;
}
