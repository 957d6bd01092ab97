import { freshDatabaseUrl } from './database';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLFormattedError } from 'graphql';
import { print } from 'graphql';
import { createApp, type App } from '../../src/app';
import { CreateOwnerDocument, type CreateOwnerInput } from '../generated/graphql';

/** A Monday far enough ahead that these tests never rot: 2030-01-07T08:00:00Z. */
export const DEFAULT_NOW = new Date('2030-01-07T08:00:00Z');

export interface TestClock {
  now: Date;
}

export interface OperationResult<TData> {
  data: TData | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

export interface TestApp {
  app: App;
  clock: TestClock;
  /** Runs a typed operation through Apollo's executeOperation with the context the HTTP layer would build. */
  run<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: string | null): Promise<OperationResult<TData>>;
  /** Like run, and fails the test unless the operation had no errors. */
  ok<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: string | null): Promise<TData>;
  /** Like run, and fails the test unless the operation failed with `code`; returns the first error. */
  fails<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, code: string, token?: string | null): Promise<GraphQLFormattedError>;
  createOwner(input?: Partial<CreateOwnerInput>): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

export async function startTestApp(options: { now?: Date; databaseUrl?: string } = {}): Promise<TestApp> {
  const clock: TestClock = { now: options.now ?? DEFAULT_NOW };
  const app = await createApp({ databaseUrl: options.databaseUrl ?? (await freshDatabaseUrl()), now: () => clock.now });

  async function run<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: string | null) {
    const response = await app.server.executeOperation<TData>(
      { query: print(doc), variables: variables as Record<string, unknown> },
      { contextValue: app.contextFor(token ?? null) },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { data: response.body.singleResult.data, errors: response.body.singleResult.errors };
  }

  const testApp: TestApp = {
    app,
    clock,
    run,
    async ok(doc, variables, token) {
      const result = await run(doc, variables, token);
      if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors, null, 2)}`);
      if (!result.data) throw new Error('no data');
      return result.data;
    },
    async fails(doc, variables, code, token) {
      const result = await run(doc, variables, token);
      const codes = (result.errors ?? []).map((e) => e.extensions?.code);
      if (!codes.includes(code)) {
        throw new Error(`expected ${code}, got ${JSON.stringify(result.errors ?? result.data, null, 2)}`);
      }
      return result.errors!.find((e) => e.extensions?.code === code)!;
    },
    async createOwner(input = {}) {
      const data = await testApp.ok(CreateOwnerDocument, {
        input: { name: 'Dr. Ada', timeZone: 'America/New_York', ...input },
      });
      return { id: data.createOwner.owner.id, token: data.createOwner.token };
    },
    close: () => app.close(),
  };
  return testApp;
}
