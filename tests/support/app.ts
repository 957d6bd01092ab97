import { rmSync } from 'node:fs';
import path from 'node:path';
import { freshDatabaseUrl, temporaryFolder, testDialect } from './database';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLFormattedError } from 'graphql';
import { print } from 'graphql';
import { createApp, type App, type AppOptions } from '../../src/app';
import { CreateOwnerDocument, type CreateOwnerInput } from '../generated/graphql';

/** A Monday far enough ahead that these tests never rot: 2030-01-07T08:00:00Z. */
export const DEFAULT_NOW = new Date('2030-01-07T08:00:00Z');

export interface TestClock {
  now: Date;
}

/** A bearer token, or one with the Slotbook-Calendar header naming the calendar it acts on (docs/api.md, Part 3, 33). */
export type Credential = string | null | { token: string | null; calendar: string };

export interface OperationResult<TData> {
  data: TData | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

export interface TestApp {
  app: App;
  clock: TestClock;
  /** Runs a typed operation through Apollo's executeOperation with the context the HTTP layer would build. */
  run<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: Credential): Promise<OperationResult<TData>>;
  /** Like run, and fails the test unless the operation had no errors. */
  ok<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: Credential): Promise<TData>;
  /** Like run, and fails the test unless the operation failed with `code`; returns the first error. */
  fails<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, code: string, token?: Credential): Promise<GraphQLFormattedError>;
  createOwner(input?: Partial<CreateOwnerInput>): Promise<{ id: string; token: string }>;
  /** Closes the app (drains HTTP, closes the database) and removes the temp folder of its SQLite file. */
  close(): Promise<void>;
}

/** A test app started with `listen: true`. */
export interface ServedTestApp extends TestApp {
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
}

/** Everything createApp takes, with a test clock instead of `now` and a database of its own by default. */
export interface TestAppOptions extends Omit<AppOptions, 'databaseUrl' | 'now'> {
  /** Where the test clock starts (DEFAULT_NOW); a test moves `clock.now`. */
  now?: Date;
  /** A database the caller made and removes (two apps on one database); by default a fresh one. */
  databaseUrl?: string;
  /**
   * The default database on SQLite is a file in a fresh temp folder, the production path
   * (`npm start` runs on a file: the raw sqlite3 connections, WAL). `'memory'` runs on
   * `sqlite::memory:` instead, the ORM-only path: only for a test that needs it, with a comment
   * saying why. Ignored on PostgreSQL.
   */
  sqlite?: 'file' | 'memory';
  /** Listen on 127.0.0.1 at a free port; `url` and `origin` say where. */
  listen?: boolean;
  /**
   * How `run`, `ok` and `fails` send operations: through Apollo's executeOperation with the
   * context the HTTP layer would build (the default), or as POSTs to the listening server, the
   * way clients send them (`'http'` implies `listen`).
   */
  over?: 'apollo' | 'http';
}

/**
 * The one way tests build an app (tests/test-app.test.ts keeps it so): on SQLite a file in a
 * fresh temp folder, on PostgreSQL a fresh database (dropped by the global teardown), and
 * createApp's options passed through.
 */
export async function startTestApp(options: TestAppOptions & { listen: true }): Promise<ServedTestApp>;
export async function startTestApp(options?: TestAppOptions): Promise<TestApp>;
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp | ServedTestApp> {
  const { now: start, databaseUrl: given, sqlite = 'file', over = 'apollo', ...appOptions } = options;
  const listen = options.listen === true || over === 'http';
  delete (appOptions as { listen?: boolean }).listen;
  const clock: TestClock = { now: start ?? DEFAULT_NOW };
  /** The temp folder this app made and removes on close. */
  const folder = !given && testDialect === 'sqlite' && sqlite === 'file' ? temporaryFolder() : null;
  const databaseUrl = given ?? (folder ? `sqlite:${path.join(folder, 'slotbook.sqlite')}` : await freshDatabaseUrl());
  const removeFolder = () => { if (folder) rmSync(folder, { recursive: true, force: true }); };
  let app: App;
  try {
    app = await createApp({ ...appOptions, databaseUrl, now: () => clock.now });
  } catch (err) {
    removeFolder();
    throw err;
  }
  const close = async () => {
    try {
      await app.close();
    } finally {
      removeFolder();
    }
  };
  let served: { url: string; origin: string } | null = null;
  if (listen) {
    try {
      const { url } = await app.listen(0, '127.0.0.1');
      served = { url, origin: new URL(url).origin };
    } catch (err) {
      await close();
      throw err;
    }
  }

  async function run<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, credential?: Credential): Promise<OperationResult<TData>> {
    const token = typeof credential === 'object' && credential !== null ? credential.token : (credential ?? null);
    const calendar = typeof credential === 'object' && credential !== null ? credential.calendar : null;
    if (over === 'http') {
      const response = await fetch(served!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(calendar !== null ? { 'slotbook-calendar': calendar } : {}) },
        body: JSON.stringify({ query: print(doc), variables }),
      });
      const body = (await response.json()) as { data?: TData | null; errors?: GraphQLFormattedError[] };
      return { data: body.data, errors: body.errors };
    }
    const response = await app.server.executeOperation<TData>(
      { query: print(doc), variables: variables as Record<string, unknown> },
      { contextValue: app.contextFor(token, undefined, calendar) },
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
    close,
  };
  return served ? { ...testApp, ...served } : testApp;
}
