import { startTestApp, type ServedTestApp } from './support/app';
import { freshDatabaseUrl } from './support/database';
import { discardSharedDatabase } from './support/shared-database';
import { MAX_ENDPOINTS_PER_OWNER } from '../src/modules/webhook/webhook.service';
import { AddWebhookEndpointDocument } from './generated/graphql';

// Issue 21: the 10-endpoint limit held only as a count before the insert, which concurrent
// additions all passed. The database now counts in the insert's statement (the
// webhook_endpoint_limit trigger, Migration20261207021000). Two app instances share one database
// (a SQLite file, or PostgreSQL with TEST_DATABASE_URL) and take the additions over real HTTP.

const PARALLEL = 40;
const PUBLIC_URL = 'https://93.184.215.14/hooks';

let databaseUrl: string;
let apps: ServedTestApp[] = [];
beforeAll(async () => {
  databaseUrl = await freshDatabaseUrl({ shared: true });
  apps.push(await startTestApp({ databaseUrl, over: 'http', listen: true, webhooks: 'off' }));
  apps.push(await startTestApp({ databaseUrl, over: 'http', listen: true, webhooks: 'off' }));
});
afterAll(async () => {
  for (const app of apps) await app.close();
  apps = [];
  if (databaseUrl) discardSharedDatabase(databaseUrl);
});

test(`${PARALLEL} parallel addWebhookEndpoint over two app instances: exactly ${MAX_ENDPOINTS_PER_OWNER} exist`, async () => {
  const owner = await apps[0]!.createOwner({ timeZone: 'UTC' });
  const results = await Promise.all(
    Array.from({ length: PARALLEL }, (_, n) => apps[n % 2]!.run(AddWebhookEndpointDocument, { input: { url: `${PUBLIC_URL}/${n}` } }, owner.token)),
  );
  const added = results.filter((r) => !r.errors?.length);
  const refused = results.filter((r) => r.errors?.length).map((r) => ({ code: r.errors![0]!.extensions?.code, field: r.errors![0]!.extensions?.field }));
  expect(added).toHaveLength(MAX_ENDPOINTS_PER_OWNER);
  expect(refused).toEqual(Array(PARALLEL - MAX_ENDPOINTS_PER_OWNER).fill({ code: 'BAD_USER_INPUT', field: 'input' }));
  const [row] = await apps[1]!.app.orm.em.fork().getConnection().execute<Array<{ n: number | string }>>(
    'select count(*) as n from webhook_endpoint where owner_id = ?',
    [owner.id],
  );
  expect(Number(row!.n)).toBe(MAX_ENDPOINTS_PER_OWNER);
});
