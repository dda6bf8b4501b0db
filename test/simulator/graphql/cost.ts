/**
 * Prices a query before running it, as GitHub documents in "Rate limits and query limits for the
 * GraphQL API" (https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api):
 *
 *   requests(connection) = product of the first/last of every connection enclosing it (1 at top level)
 *   cost                 = max(1, round(Σ requests / 100))
 *   nodes                = Σ over connections of (product of enclosing first/last) × its own first/last
 *
 * A query may ask at most 500,000 nodes. A connection asked without first/last (only legal for a
 * totalCount) counts as one request and one node, and fans its children out by 1.
 */
import {
  GraphQLIncludeDirective, GraphQLSkipDirective, getArgumentValues, getDirectiveValues, getNamedType,
  isCompositeType, isObjectType, isInterfaceType,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';

export const MAX_NODES = 500_000;

export interface CostReport {
  /** Σ requests, before dividing by 100. */
  requests: number;
  cost: number;
  nodeCount: number;
  /** How many `repository(...)` fields the query asks (a proxy for its work, for timeout faults). */
  repositoryFields: number;
  /** True when `rateLimit(dryRun: true)` is asked: price only, charge and run nothing. */
  dryRun: boolean;
  /** Set when the node limit is passed: the connection at which it happened and the running total. */
  nodeLimit: { connection: string; nodes: number } | null;
}

/** Prices `operation` of `document` with `variables` (already coerced). */
export function analyzeQuery(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): CostReport {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === 'FragmentDefinition') fragments.set(def.name.value, def);
  const report: CostReport = { requests: 0, cost: 1, nodeCount: 0, repositoryFields: 0, dryRun: false, nodeLimit: null };
  const root = schema.getQueryType();
  if (root && operation.operation === 'query') walk(operation.selectionSet, root, 1, 0);
  report.cost = Math.max(1, Math.round(report.requests / 100));
  return report;

  function included(node: { directives?: readonly import('graphql').DirectiveNode[] }): boolean {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
    const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
    return skip?.['if'] !== true && include?.['if'] !== false;
  }

  function walk(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, fanOut: number, depth: number): void {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === 'Field') field(selection, parent, fanOut, depth);
      else {
        const fragment = selection.kind === 'InlineFragment' ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const typeName = fragment.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parent;
        if (type && isCompositeType(type)) walk(fragment.selectionSet, type, fanOut, depth);
      }
    }
  }

  function field(node: FieldNode, parent: GraphQLCompositeType, fanOut: number, depth: number): void {
    if (node.name.value.startsWith('__')) return;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return;
    const def = parent.getFields()[node.name.value];
    if (!def) return;
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(def, node, variables);
    } catch {
      // Invalid arguments are reported by execution; price what can be priced.
    }
    if (depth === 0 && def.name === 'rateLimit' && args['dryRun'] === true) report.dryRun = true;
    if (depth === 0 && def.name === 'repository') report.repositoryFields += 1;
    const type = getNamedType(def.type);
    let childFanOut = fanOut;
    if (type.name.endsWith('Connection')) {
      const size = pageSize(args);
      report.requests += fanOut;
      report.nodeCount += fanOut * size;
      if (report.nodeCount > MAX_NODES && !report.nodeLimit) report.nodeLimit = { connection: def.name, nodes: report.nodeCount };
      childFanOut = fanOut * size;
    }
    if (node.selectionSet && isCompositeType(type)) walk(node.selectionSet, type, childFanOut, depth + 1);
  }
}

function pageSize(args: Record<string, unknown>): number {
  const first = args['first'];
  const last = args['last'];
  if (typeof first === 'number' && first > 0) return first;
  if (typeof last === 'number' && last > 0) return last;
  return 1;
}

/** GitHub's message when a query asks too many nodes. */
export function nodeLimitMessage(limit: { connection: string; nodes: number }): string {
  return `By the time this query traverses to the ${limit.connection} connection, it is requesting up to ${limit.nodes.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.`;
}
