/** Relay-style connections over lazily generated lists, with GitHub's pagination limits. */
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A GraphQL error carrying GitHub's top-level `type` (moved out of extensions when answering). */
export function githubError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

const encode = (offset: number) => Buffer.from(`cursor:v2:${offset}`).toString('base64');

function decode(cursor: string | null | undefined): number | null {
  if (!cursor) return null;
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString());
  if (!m?.[1]) throw githubError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}

function asksForItems(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) =>
    node.selectionSet?.selections.some((s) => s.kind !== 'Field' || s.name.value === 'nodes' || s.name.value === 'edges'),
  );
}

/** Checks first/last as GitHub does: required when items are asked, at most 100. */
export function checkPageArgs(args: PageArgs, info: GraphQLResolveInfo): void {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n != null && (n > 100 || n < 0)) {
      throw githubError('EXCESSIVE_PAGINATION', `Requesting ${n} records on the \`${info.fieldName}\` connection exceeds the \`${key}\` limit of 100 records.`);
    }
  }
  if (args.first == null && args.last == null && asksForItems(info)) {
    throw githubError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${info.fieldName}\` connection.`);
  }
}

/** A connection object whose nodes/edges are only generated when selected. */
export function connection<T>(args: PageArgs, info: GraphQLResolveInfo, total: number, itemAt: (position: number) => T, edgeExtras?: (item: T, position: number) => Record<string, unknown>) {
  checkPageArgs(args, info);
  const afterPos = decode(args.after);
  const beforePos = decode(args.before);
  const windowStart = afterPos === null ? 0 : afterPos + 1;
  const windowEnd = beforePos === null ? total : Math.min(total, beforePos);
  let start = windowStart;
  let end = Math.max(windowStart, windowEnd);
  if (args.first != null) end = Math.min(end, start + args.first);
  else if (args.last != null) start = Math.max(start, end - args.last);
  let items: T[] | undefined;
  const all = () => (items ??= Array.from({ length: Math.max(0, end - start) }, (_, i) => itemAt(start + i)));
  return {
    totalCount: total,
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: end > start ? encode(start) : null,
      endCursor: end > start ? encode(end - 1) : null,
    },
    nodes: () => all(),
    edges: () => all().map((node, i) => ({ cursor: encode(start + i), node, ...(edgeExtras?.(node, start + i) ?? {}) })),
  };
}
