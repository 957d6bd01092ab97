import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, BREAK, type DocumentNode } from 'graphql';
import { ErrorCode } from '../shared/errors';

const NUL = '\u0000';

/** True when a string anywhere in `value` (object keys included) holds U+0000; iterative, so deep JSON cannot overflow the stack. */
function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item.includes(NUL)) return true;
    } else if (Array.isArray(item)) {
      // One push per element: spreading a huge array would overflow the call stack.
      for (const element of item) stack.push(element);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes(NUL)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

// Apollo hands every request of one query text the same parsed document; walk each once.
const literalsChecked = new WeakMap<DocumentNode, boolean>();

function hasNulLiteral(document: DocumentNode): boolean {
  let found = literalsChecked.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      [Kind.STRING](node) {
        if (!node.value.includes(NUL)) return undefined;
        found = true;
        return BREAK;
      },
    });
    literalsChecked.set(document, found);
  }
  return found;
}

/** The refusal of an operation with U+0000 in a literal or a variable (the plugin below says why), or null. */
export function nulCharacterError(document: DocumentNode, variables: unknown): GraphQLError | null {
  if (!hasNulLiteral(document) && !containsNul(variables)) return null;
  return new GraphQLError('strings must not contain the NUL character (U+0000)', {
    extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } },
  });
}

/**
 * Refuses U+0000 in any argument, literal or variable, before execution: no name, e-mail, id or
 * key legitimately holds it, and SQLite reads SQL text as a C string, so an inlined NUL ends the
 * statement mid-literal (MikroORM inlines parameters of its selects) and the request would fail
 * as INTERNAL_SERVER_ERROR instead of BAD_USER_INPUT. Also refuses subscription operations, which
 * plain HTTP cannot serve, as BAD_REQUEST (src/http/subscriptions.ts serves them over WebSocket).
 */
export function rejectNulCharactersPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operation }) {
          if (operation?.operation === 'subscription') {
            // Nothing executes a subscription over plain HTTP; graphql-js would fail it as a bug (500).
            throw new GraphQLError('subscriptions are not served over HTTP POST or GET', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          const nul = nulCharacterError(document, request.variables);
          if (nul) throw nul;
        },
      };
    },
  };
}
