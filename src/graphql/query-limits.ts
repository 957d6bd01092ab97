import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldMap,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ErrorCode } from '../shared/errors';
import { DEFAULT_MAX_FREE_SLOTS } from '../modules/slot/slot.service';
import { MAX_PAGE_SIZE } from '../shared/pagination';
import { MAX_RANGE_DAYS } from '../shared/grid';
import { costLimitRule } from './query-cost';

/** Ceilings on what one GraphQL operation may ask for; refused before any resolver runs. */
export interface QueryLimits {
  /** Nesting depth of selections (fragments flattened). */
  maxDepth: number;
  /** Aliased fields per operation. */
  maxAliases: number;
  /** Lexical tokens per document. */
  maxTokens: number;
  /** Directives per operation. */
  maxDirectives: number;
  /** What an operation may cost to serve, in reads (query-cost.ts prices each field). */
  maxCost: number;
  /** Sum over every freeSlots field of its range in days, times the page sizes above it. */
  maxFreeSlotDays: number;
  /**
   * Free slots one request may produce, over all its freeSlots fields: the real work of a slot
   * list (computing, serializing, sending) grows with its slots, not its days. Checked while
   * the request runs, since only the owner's windows and slot length tell how many a range holds.
   */
  maxFreeSlots: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 1000,
  maxDirectives: 50,
  maxCost: 5000,
  maxFreeSlotDays: 1000,
  maxFreeSlots: DEFAULT_MAX_FREE_SLOTS,
};

const DAY_MS = 86_400_000;

/**
 * Apollo Server options that enforce `limits`. Armor's depth, alias and directive rules and our
 * cost rule (query-cost.ts) answer GRAPHQL_VALIDATION_FAILED; the token limit is graphql-js's own parser option and answers
 * GRAPHQL_PARSE_FAILED (armor's token plugin throws from a hook Apollo turns into a 500). The
 * freeSlots range cost depends on variables, so it is checked once the operation is resolved and
 * answers BAD_USER_INPUT. All of them answer HTTP 400 before any resolver runs.
 */
export function queryLimitProtections<TContext extends object>(limits: QueryLimits): {
  validationRules: NonNullable<ReturnType<ApolloArmor['protect']>['validationRules']>;
  plugins: ApolloServerPlugin<TContext>[];
  parseOptions: { maxTokens: number };
} {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    // Armor prices every object 2 and every scalar 1 times a factor per level, so an owner's page
    // of 100 bookings cost 10,033; query-cost.ts prices what the resolvers really do.
    costLimit: { enabled: false },
    // Suggestions are dropped by formatError when introspection is off (errors.ts): armor's own
    // plugin rewrites read-only error messages (a 500 on some requests) and leaves a stray "?".
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    validationRules: [...(armor.validationRules ?? []), costLimitRule(limits.maxCost)],
    plugins: [...(armor.plugins as ApolloServerPlugin<TContext>[]), freeSlotCostPlugin<TContext>(limits.maxFreeSlotDays)],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/** Refuses an operation whose freeSlots fields add up to more than `maxDays` days of range. */
export function freeSlotCostPlugin<TContext extends object>(maxDays: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const refusal = freeSlotCostError(schema, document, operation, request.variables ?? {}, maxDays);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/** The refusal of an operation whose freeSlots fields add up to more than `maxDays` days of range, or null. */
export function freeSlotCostError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxDays: number,
): GraphQLError | null {
  const days = freeSlotDays(schema, operation, fragmentsOf(document), variables);
  if (days <= maxDays) return null;
  return new GraphQLError(
    `query too expensive: its freeSlots ranges add up to ${days} days (times the page sizes above them); the limit is ${maxDays}`,
    { extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } } },
  );
}

/** The fields that list slots over a range (`Type.field`): each freeSlots, and the subscription that follows one. */
const FREE_SLOT_FIELDS = new Set(['Query.freeSlots', 'Query.teamFreeSlots', 'Owner.freeSlots', 'EventType.freeSlots', 'Subscription.freeSlotsChanged']);

const fragmentsByDocument = new WeakMap<DocumentNode, ReadonlyMap<string, FragmentDefinitionNode>>();

/**
 * The fragment definitions of a document by name, for the walks over an operation (this cost and
 * the rate limits' counts). Apollo hands every request of one query text the same parsed
 * document, so each is indexed once.
 */
export function fragmentsOf(document: DocumentNode): ReadonlyMap<string, FragmentDefinitionNode> {
  let fragments = fragmentsByDocument.get(document);
  if (!fragments) {
    const byName = new Map<string, FragmentDefinitionNode>();
    for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) byName.set(def.name.value, def);
    fragments = byName;
    fragmentsByDocument.set(document, fragments);
  }
  return fragments;
}

/** The freeSlots cost of an operation: each field's range in whole days (1 to 366), times the `first` of every paged field above it. */
export function freeSlotDays(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const defaults = new Map<string, ValueNode>();
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);

  const valueOf = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      return name in variables ? variables[name] : valueOf(defaults.get(name));
    }
    if (node.kind === Kind.STRING) return node.value;
    if (node.kind === Kind.INT) return Number(node.value);
    return undefined;
  };

  const rangeDays = (from: unknown, to: unknown): number => {
    const span = typeof from === 'string' && typeof to === 'string' ? Date.parse(to) - Date.parse(from) : NaN;
    // A malformed or reversed range is refused later with BAD_USER_INPUT; it still costs a day here.
    if (!Number.isFinite(span) || span <= 0) return 1;
    return Math.min(MAX_RANGE_DAYS, Math.ceil(span / DAY_MS));
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;

  const walk = (selectionSet: SelectionSetNode, fields: GraphQLFieldMap<unknown, unknown> | null, parentName: string, multiplier: number, seen: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const def = fields?.[name];
        const args = new Map(selection.arguments?.map((a) => [a.name.value, a.value]));
        if (FREE_SLOT_FIELDS.has(`${parentName}.${name}`)) {
          total += multiplier * rangeDays(valueOf(args.get('from')), valueOf(args.get('to')));
          continue;
        }
        if (!selection.selectionSet) continue;
        let childMultiplier = multiplier;
        const firstArg = def?.args.find((a) => a.name === 'first');
        if (firstArg) {
          const raw = valueOf(args.get('first')) ?? firstArg.defaultValue;
          const first = typeof raw === 'number' && Number.isFinite(raw) ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(raw))) : MAX_PAGE_SIZE;
          childMultiplier *= first;
        }
        const child = def ? getNamedType(def.type) : null;
        const childFields = child && (isObjectType(child) || isInterfaceType(child)) ? child.getFields() : null;
        total += walk(selection.selectionSet, childFields, child?.name ?? '', childMultiplier, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : null;
        const typedFields = typed && (isObjectType(typed) || isInterfaceType(typed)) ? typed.getFields() : fields;
        total += walk(selection.selectionSet, typedFields, typed?.name ?? parentName, multiplier, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const typed = schema.getType(fragment.typeCondition.name.value);
        const typedFields = typed && (isObjectType(typed) || isInterfaceType(typed)) ? typed.getFields() : fields;
        total += walk(fragment.selectionSet, typedFields, typed?.name ?? parentName, multiplier, new Set([...seen, name]));
      }
    }
    return total;
  };
  return walk(operation.selectionSet, root.getFields(), root.name, 1, new Set());
}
