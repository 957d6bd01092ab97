import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldMap,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../shared/pagination';
import { MAX_ENDPOINTS_PER_OWNER } from '../modules/webhook/webhook.service';

/**
 * Items assumed in a list that takes no `first` (an owner's event types or windows, a window's
 * exceptions): each is one read of a small, owner-sized set; where the service caps the set, the cap.
 */
const UNPAGED_LIST_ITEMS = 20;
const LIST_ITEMS: Readonly<Record<string, number>> = { 'Owner.webhookEndpoints': MAX_ENDPOINTS_PER_OWNER };

/**
 * Lists of slots: one computation whose size is priced by the range limits (GRAPHQL_MAX_FREE_SLOT_DAYS
 * before it runs, GRAPHQL_MAX_FREE_SLOTS while it does), so here they cost their one read.
 */
const SLOT_LISTS = new Set(['Query.freeSlots', 'Query.teamFreeSlots', 'Owner.freeSlots', 'EventType.freeSlots', 'Subscription.freeSlotsChanged']);

type Fields = GraphQLFieldMap<unknown, unknown> | null;

function fieldsOf(type: unknown): Fields {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields() : null;
}

/** A literal `first`, or the default of the variable it names; a variable without one may be anything up to the largest page. */
function pageSizeOf(field: GraphQLField<unknown, unknown>, value: ValueNode | undefined, operation: OperationDefinitionNode): number {
  let node = value;
  if (node?.kind === Kind.VARIABLE) {
    const name = node.name.value;
    node = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
    if (!node) return MAX_PAGE_SIZE;
  }
  const raw = node === undefined ? field.args.find((a) => a.name === 'first')?.defaultValue : node.kind === Kind.INT ? Number(node.value) : MAX_PAGE_SIZE;
  // Outside 1..100 the resolver refuses the page (BAD_USER_INPUT) before reading anything.
  return typeof raw === 'number' && Number.isFinite(raw) ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(raw))) : MAX_PAGE_SIZE;
}

/**
 * What an operation costs to serve, in units of one read: priced by what the resolvers do, not by
 * a flat factor per level (docs/operations.md, GRAPHQL_MAX_COST).
 * - A scalar or enum costs nothing of its own: it is serialized with its object.
 * - An object field costs 1: an object at hand or one DataLoader lookup, batched with its siblings.
 * - A page (a field taking `first`) costs 1 for its read, then its list (`edges`) 1 per item, `first`
 *   items (a variable `first` without a default: 100), and everything under an item as many times.
 * - Another list of objects costs 1 for its read and 1 per item, 20 items assumed (webhook
 *   endpoints: their cap of 10), everything under an item as many times.
 * - A list of slots costs 1: its range limits price its size.
 * - Introspection fields cost nothing.
 * So an owner's page of 100 bookings with their invitee, event type and owner costs 502, and a page
 * of bookings each with its owner's page of bookings costs over 10,000.
 */
export function operationCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): number {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  // A fragment's cost at multiplier 1 per place it is spread into (inside a page or not), so a
  // fragment spread many times is walked once.
  const fragmentCosts = new Map<string, number>();

  /** `page`: the items of the page just opened, which its first list (`edges`) multiplies by. */
  const walk = (selectionSet: SelectionSetNode, fields: Fields, parentName: string, page: number | null): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : null;
        total += walk(selection.selectionSet, fieldsOf(typed) ?? fields, typed?.name ?? parentName, page);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const key = `${name}:${page ?? ''}`;
        let cost = fragmentCosts.get(key);
        if (cost === undefined) {
          // A cycle (refused by NoFragmentCyclesRule) costs nothing here.
          fragmentCosts.set(key, 0);
          const fragment = fragments.get(name);
          const typed = fragment ? schema.getType(fragment.typeCondition.name.value) : null;
          cost = fragment ? walk(fragment.selectionSet, fieldsOf(typed) ?? fields, typed?.name ?? parentName, page) : 0;
          fragmentCosts.set(key, cost);
        }
        total += cost;
        continue;
      }
      const name = selection.name.value;
      const field = fields?.[name];
      if (!field || name.startsWith('__') || !selection.selectionSet) continue;
      const child = getNamedType(field.type);
      const childFields = fieldsOf(child);
      const childName = child.name;
      const coordinate = `${parentName}.${name}`;
      if (SLOT_LISTS.has(coordinate)) {
        total += 1;
      } else if (field.args.some((a) => a.name === 'first')) {
        const first = selection.arguments?.find((a) => a.name.value === 'first')?.value;
        total += 1 + walk(selection.selectionSet, childFields, childName, pageSizeOf(field, first, operation));
      } else if (isListType(getNullableType(field.type))) {
        const items = page ?? LIST_ITEMS[coordinate] ?? UNPAGED_LIST_ITEMS;
        total += (page === null ? 1 : 0) + items * (1 + walk(selection.selectionSet, childFields, childName, null));
      } else {
        total += 1 + walk(selection.selectionSet, childFields, childName, page);
      }
    }
    return total;
  };
  return walk(operation.selectionSet, root.getFields(), root.name, null);
}

/**
 * A validation rule refusing an operation that costs more than `maxCost` (operationCost):
 * GRAPHQL_VALIDATION_FAILED, HTTP 400, before anything runs.
 */
export function costLimitRule(maxCost: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    return {
      OperationDefinition(operation) {
        const cost = operationCost(context.getSchema(), operation, fragments);
        if (cost > maxCost) context.reportError(new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}`, { nodes: [operation] }));
      },
    };
  };
}

/**
 * The root fields an operation selects, aliases and fragments counted (each alias of a mutation is
 * another call). The per-address budget (rate-limits.ts) charges every root mutation field its own
 * unit, so fifteen aliased `rescheduleBooking` cost fifteen, not one.
 */
export function rootFieldCount(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): number {
  const counted = new Map<string, number>();
  const count = (selectionSet: SelectionSetNode): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) total += selection.name.value.startsWith('__') ? 0 : 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += count(selection.selectionSet);
      else {
        const name = selection.name.value;
        let inner = counted.get(name);
        if (inner === undefined) {
          counted.set(name, 0); // a cycle counts nothing (validation refuses it)
          const fragment = fragments.get(name);
          inner = fragment ? count(fragment.selectionSet) : 0;
          counted.set(name, inner);
        }
        total += inner;
      }
    }
    return total;
  };
  return count(operation.selectionSet);
}
