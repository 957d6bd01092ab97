import { createSourceEventStream, execute, getOperationAST, locatedError, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

/** What a subscription (by its context, one per subscription) asks of an event: its document, operation and variables. */
const selectionKeys = new WeakMap<object, string>();

/** A number per parsed document, for selection keys that do not repeat the query's text. */
const documentIds = new WeakMap<DocumentNode, number>();
let lastDocumentId = 0;

/** Records what the subscription with this context asks of each event (sharedSubscribe executes once per distinct one). */
export function rememberSelection(contextValue: object, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): void {
  let documentId = documentIds.get(document);
  if (documentId === undefined) documentIds.set(document, (documentId = ++lastDocumentId));
  selectionKeys.set(contextValue, JSON.stringify([documentId, operationName ?? null, variables]));
}

/** Each list a group of subscribers is sent, executed once per selection (see sharedSubscribe). */
const executedLists = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();

/**
 * graphql-js's subscribe, except that an event delivered to many subscriptions (LiveSlots hands
 * every subscriber of a group the same list object) is executed once per distinct selection
 * rather than once per subscriber: with a thousand pages on one owner, executing the same list a
 * thousand times was most of the fan-out's time. Safe because no field under Subscription reads
 * the context: the answer depends on the event, the document and the variables only. An error the
 * event stream ends with (a recomputation refused, e.g. an event type's durations changed) is
 * sent as a result whose error carries the field's path, so formatError keeps its code and field.
 */
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const events = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const key = selectionKeys.get(args.contextValue as object) ?? '';
  const operation = getOperationAST(args.document, args.operationName);
  const fieldName = operation?.selectionSet.selections.find((s) => s.kind === 'Field')?.name.value ?? 'subscription';
  const run = (payload: unknown): ExecutionResult | Promise<ExecutionResult> => {
    if (typeof payload !== 'object' || payload === null) return execute({ ...args, rootValue: payload });
    let bySelection = executedLists.get(payload);
    if (!bySelection) executedLists.set(payload, (bySelection = new Map()));
    let result = bySelection.get(key);
    if (!result) bySelection.set(key, (result = execute({ ...args, rootValue: payload })));
    return result;
  };
  let failed = false;
  const done = (): IteratorResult<ExecutionResult> => ({ value: undefined, done: true });
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      if (failed) return done();
      try {
        const event = await events.next();
        // A result of its own (its data shared): onNext empties it once it is sent.
        return event.done ? done() : { value: { ...(await run(event.value)) }, done: false };
      } catch (err) {
        failed = true;
        return { value: { errors: [locatedError(err, null, [fieldName])] }, done: false };
      }
    },
    async return() {
      await events.return?.();
      return done();
    },
    async throw(err: unknown) {
      await events.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
