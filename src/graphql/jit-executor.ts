import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError, execute, getVariableValues, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** How many compiled operations are kept; the least recently used one is dropped beyond that. */
export const COMPILED_OPERATIONS_KEPT = 500;

/**
 * Executes operations with graphql-jit instead of graphql-js: each operation is compiled once
 * into plain JavaScript and then run without graphql-js's per-field interpretation (argument
 * lookup, completeValue, isPromise checks for every one of the ~250 leaf fields of a month of
 * slots); bench/results/decisions.md has what it saved.
 *
 * Apollo Server 4 and 5 take a custom executor only through the `gateway` option (its migration
 * guide names this as the replacement of AS3's `executor`). Everything before execution stays
 * Apollo's: parsing, validation with the depth and cost limits, the document cache, plugins,
 * error formatting; only `execute` is swapped. Two seams are closed here so that clients see
 * exactly what graphql-js gave them:
 * - variables are coerced by graphql-js first, so a bad variable fails with graphql-js's message
 *   and node, which Apollo turns into BAD_USER_INPUT with HTTP 400;
 * - graphql-jit's errors (read-only look-alikes) become real GraphQLErrors with the same message,
 *   path, locations, extensions and original error, which plugins may rewrite and formatError
 *   unwraps; `errors` come before `data` as graphql-js orders them.
 * tests/jit-executor.test.ts sends the same requests through both executors and compares bytes.
 */
export function jitGateway(schema: GraphQLSchema, kept = COMPILED_OPERATIONS_KEPT): GatewayInterface & { compiledCount(): number } {
  const compiled = new Map<string, CompiledQuery>();

  const executor: GatewayExecutor = async ({ document, operation, operationName, queryHash, request, context }) => {
    // No operation of that name, or several and no name: graphql-js answers with its resolution
    // error without running anything, and Apollo turns it into OPERATION_RESOLUTION_FAILURE (400).
    if (!operation) return execute({ schema, document, operationName: request.operationName, variableValues: request.variables });
    const variables = request.variables ?? {};
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const key = `${queryHash}:${operationName ?? ''}`;
    let query = compiled.get(key);
    if (query) {
      compiled.delete(key); // re-inserted below: Map order is recency order
    } else {
      const result = compileQuery(schema, document, operationName ?? undefined);
      // Not compilable (e.g. a subscription, which this schema has no root for): graphql-js
      // reports why in its own words, as real GraphQLErrors that formatError can classify.
      if (!isCompiledQuery(result)) return execute({ schema, document, operationName: operationName ?? undefined, variableValues: variables, contextValue: context });
      query = result;
      if (compiled.size >= kept) compiled.delete(compiled.keys().next().value as string);
    }
    compiled.set(key, query);
    const { data, errors, ...rest } = await query.query(undefined, context, variables);
    // graphql-js's order (errors before data), so responses are the same bytes either way.
    return errors ? { errors: errors.map(asGraphQLJsError), data, ...rest } : { data, ...rest };
  };

  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
    compiledCount: () => compiled.size,
  };
}

function asGraphQLJsError(error: GraphQLError): GraphQLError {
  if (Object.getPrototypeOf(error) === GraphQLError.prototype) return error;
  const converted = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions });
  // graphql-js derives locations from AST nodes, which graphql-jit does not keep; carry its own over.
  Object.assign(converted, { locations: error.locations });
  return converted;
}
