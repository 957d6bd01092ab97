import { ConfigError, loadConfig, parseDatabaseUrl, parseTrustProxy } from '../src/config';
import { DEFAULT_POOL_SIZE } from '../src/db/database';
import { DEFAULT_RATE_LIMITS } from '../src/http/rate-limits';
import { DEFAULT_SUBSCRIPTION_LIMITS } from '../src/http/subscriptions';

describe('DATABASE_URL picks the database', () => {
  test.each([
    ['sqlite:./data/slotbook.sqlite', { dialect: 'sqlite', dbName: './data/slotbook.sqlite' }],
    ['sqlite::memory:', { dialect: 'sqlite', dbName: ':memory:' }],
    ['postgres://slotbook:secret@db.internal:5432/slotbook', { dialect: 'postgresql', dbName: 'slotbook', clientUrl: 'postgres://slotbook:secret@db.internal:5432/slotbook' }],
    ['postgresql://127.0.0.1/booking%20db?sslmode=require', { dialect: 'postgresql', dbName: 'booking db', clientUrl: 'postgresql://127.0.0.1/booking%20db?sslmode=require' }],
  ])('%s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  test.each([
    ['sqlite:', /needs a file path or :memory:/],
    ['postgres://db.internal:5432/', /needs a host and a database name/],
    ['postgres://db.internal:5432', /needs a host and a database name/],
    ['postgres://[bad/slotbook', /not a valid postgres:\/\/ URL/],
    ['mysql://root:hunter2@db/slotbook', /must start with sqlite: .* or postgres:\/\//],
  ])('%s is refused with a message naming the rule', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(ConfigError);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });

  test('a refused URL never echoes its password', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/slotbook')).toThrow(/mysql:\/\/\*\*\*@db\/slotbook/);
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/slotbook')).not.toThrow(/hunter2/);
  });

  test('loadConfig checks DATABASE_URL at start', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h/db' }).databaseUrl).toBe('postgres://u:p@h/db');
    expect(() => loadConfig({ DATABASE_URL: 'oracle://h/db' })).toThrow(ConfigError);
  });
});

describe('DATABASE_POOL_SIZE', () => {
  test.each([
    [undefined, DEFAULT_POOL_SIZE],
    ['', DEFAULT_POOL_SIZE],
    ['1', 1],
    ['25', 25],
  ])('%p → %p', (raw, expected) => {
    expect(loadConfig({ DATABASE_POOL_SIZE: raw }).databasePoolSize).toBe(expected);
  });

  test.each(['0', '-3', 'ten', '2.5'])('%p is refused naming the variable', (raw) => {
    expect(() => loadConfig({ DATABASE_POOL_SIZE: raw })).toThrow(new ConfigError(`DATABASE_POOL_SIZE must be a positive integer, got "${raw}"`));
  });
});

describe('CORS_ORIGINS', () => {
  test.each([
    [undefined, '*'],
    ['', '*'],
    ['*', '*'],
    ['none', 'none'],
    ['https://app.example.com', ['https://app.example.com']],
    ['https://app.example.com, http://localhost:5173', ['https://app.example.com', 'http://localhost:5173']],
  ])('%p → %p', (raw, expected) => {
    expect(loadConfig({ CORS_ORIGINS: raw }).corsOrigins).toEqual(expected);
  });

  test.each(['app.example.com', 'https://app.example.com/', 'https://app.example.com/path', 'ftp://files.example.com', 'https://a.example.com,,https://b.example.com'])(
    '%p is refused naming the variable',
    (raw) => {
      expect(() => loadConfig({ CORS_ORIGINS: raw })).toThrow(/^CORS_ORIGINS must be \*, none or comma-separated origins/);
    },
  );
});

describe('RATE_LIMITS and RATE_LIMIT_*', () => {
  test('on by default, with the documented defaults', () => {
    expect(loadConfig({}).rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(DEFAULT_RATE_LIMITS).toEqual({ createOwnerPerHour: 10, bookSlotPerMinute: 30, manageTokenPerMinute: 60, costPerMinute: 3000, accountCallsPerMinute: 20, accountCallsPerEmailPerMinute: 10 });
    expect(loadConfig({ RATE_LIMITS: 'on' }).rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(loadConfig({ RATE_LIMITS: '' }).rateLimits).toEqual(DEFAULT_RATE_LIMITS);
  });

  test.each(['off', 'OFF', ' off '])('RATE_LIMITS=%p turns every limit off, whatever RATE_LIMIT_* say', (raw) => {
    expect(loadConfig({ RATE_LIMITS: raw, RATE_LIMIT_BOOK_PER_MINUTE: '5' }).rateLimits).toBe('off');
  });

  test.each(['no', 'false', 'disabled'])('RATE_LIMITS=%p is refused naming the variable', (raw) => {
    expect(() => loadConfig({ RATE_LIMITS: raw })).toThrow(new ConfigError(`RATE_LIMITS must be on or off, got "${raw}"`));
  });

  test.each([
    ['RATE_LIMIT_CREATE_OWNER_PER_HOUR', 'createOwnerPerHour'],
    ['RATE_LIMIT_BOOK_PER_MINUTE', 'bookSlotPerMinute'],
    ['RATE_LIMIT_MANAGE_TOKEN_PER_MINUTE', 'manageTokenPerMinute'],
    ['RATE_LIMIT_COST_PER_MINUTE', 'costPerMinute'],
  ] as const)('%s sets %s and refuses anything but a positive integer', (variable, field) => {
    expect(loadConfig({ [variable]: '7' }).rateLimits).toEqual({ ...DEFAULT_RATE_LIMITS, [field]: 7 });
    for (const raw of ['0', '-1', '2.5', 'many']) {
      expect(() => loadConfig({ [variable]: raw })).toThrow(new ConfigError(`${variable} must be a positive integer, got "${raw}"`));
    }
  });
});

describe('TRUST_PROXY', () => {
  test.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7,uniquelocal', ['10.0.0.0/8', '192.168.1.7', 'uniquelocal']],
    ['::1, fd00::/8', ['::1', 'fd00::/8']],
  ])('%p → %p', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  test('true is refused: it would believe whatever a client writes', () => {
    expect(() => parseTrustProxy('true')).toThrow(/^TRUST_PROXY=true would believe any X-Forwarded-For a client writes; give the number of proxies/);
  });

  test.each(['proxy.internal', '10.0.0.0/33', '10.0.0.1,,10.0.0.2', '-1', '1.5'])('%p is refused naming the variable', (raw) => {
    expect(() => loadConfig({ TRUST_PROXY: raw })).toThrow(/^TRUST_PROXY must be false, a number of proxy hops, or comma-separated proxy addresses/);
  });
});

describe('SUBSCRIPTION_* and SUBSCRIPTIONS_* (live updates)', () => {
  test('the documented defaults', () => {
    expect(loadConfig({}).subscriptions).toEqual(DEFAULT_SUBSCRIPTION_LIMITS);
    expect(DEFAULT_SUBSCRIPTION_LIMITS).toEqual({
      initTimeoutMs: 3000,
      maxPerConnection: 10,
      maxPerProcess: 10000,
      maxSocketsPerAddress: 20,
      maxPerAddress: 100,
      maxRangesPerOwner: 64,
      maxBufferedBytes: 4194304,
      pollIntervalMs: 200,
    });
  });

  test.each([
    ['SUBSCRIPTION_INIT_TIMEOUT_MS', 'initTimeoutMs'],
    ['SUBSCRIPTIONS_PER_CONNECTION', 'maxPerConnection'],
    ['SUBSCRIPTIONS_PER_PROCESS', 'maxPerProcess'],
    ['SUBSCRIPTION_SOCKETS_PER_ADDRESS', 'maxSocketsPerAddress'],
    ['SUBSCRIPTIONS_PER_ADDRESS', 'maxPerAddress'],
    ['SUBSCRIPTION_RANGES_PER_OWNER', 'maxRangesPerOwner'],
    ['SUBSCRIPTION_MAX_BUFFERED_BYTES', 'maxBufferedBytes'],
    ['SQLITE_CHANGE_POLL_MS', 'pollIntervalMs'],
  ] as const)('%s sets %s and refuses anything but a positive integer', (variable, field) => {
    expect(loadConfig({ [variable]: '7' }).subscriptions).toEqual({ ...DEFAULT_SUBSCRIPTION_LIMITS, [field]: 7 });
    for (const raw of ['0', '-1', '2.5', 'many']) {
      expect(() => loadConfig({ [variable]: raw })).toThrow(new ConfigError(`${variable} must be a positive integer, got "${raw}"`));
    }
  });
});

describe('HTTP_CACHE_MAX_AGE (Cache-Control of public GET reads)', () => {
  test('15 seconds by default; whole seconds from 0 to 3600', () => {
    expect(loadConfig({}).httpCacheMaxAgeSeconds).toBe(15);
    expect(loadConfig({ HTTP_CACHE_MAX_AGE: '0' }).httpCacheMaxAgeSeconds).toBe(0);
    expect(loadConfig({ HTTP_CACHE_MAX_AGE: '3600' }).httpCacheMaxAgeSeconds).toBe(3600);
  });

  test.each(['-1', '1.5', '3601', 'long'])('%s is refused naming the variable', (raw) => {
    expect(() => loadConfig({ HTTP_CACHE_MAX_AGE: raw })).toThrow(new ConfigError(`HTTP_CACHE_MAX_AGE must be whole seconds from 0 to 3600, got "${raw}"`));
  });
});

describe('PUBLIC_URL (the origin of links the server writes)', () => {
  test('unset by default (each request\'s own origin); an http(s) origin, a trailing slash dropped', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://book.example.com' }).publicUrl).toBe('https://book.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:4000/' }).publicUrl).toBe('http://127.0.0.1:4000');
  });

  test.each(['book.example.com', 'https://book.example.com/app', 'ftp://book.example.com', 'https://book.example.com?x=1'])('%s is refused naming the variable', (raw) => {
    expect(() => loadConfig({ PUBLIC_URL: raw })).toThrow(/^PUBLIC_URL must be an origin/);
  });
});

describe('calendar sources: CALENDAR_SYNC_SECONDS, CALENDAR_ALLOW_PRIVATE_URLS, SECRET_KEY', () => {
  test.each([
    [undefined, 300_000],
    ['', 300_000],
    ['1', 1_000],
    ['86400', 86_400_000],
  ])('CALENDAR_SYNC_SECONDS %p → every %p ms', (raw, expected) => {
    expect(loadConfig({ CALENDAR_SYNC_SECONDS: raw }).calendarSources.everyMs).toBe(expected);
  });

  test.each(['0', '-5', '1.5', 'often'])('CALENDAR_SYNC_SECONDS %p is refused naming the variable', (raw) => {
    expect(() => loadConfig({ CALENDAR_SYNC_SECONDS: raw })).toThrow(new ConfigError(`CALENDAR_SYNC_SECONDS must be a positive integer, got "${raw}"`));
  });

  test('private URLs are refused unless allowed; SECRET_KEY is optional', () => {
    expect(loadConfig({}).calendarSources).toMatchObject({ allowPrivateUrls: false, secretKey: null });
    expect(loadConfig({ CALENDAR_ALLOW_PRIVATE_URLS: 'true', SECRET_KEY: 'a passphrase' }).calendarSources).toMatchObject({ allowPrivateUrls: true, secretKey: 'a passphrase' });
    expect(() => loadConfig({ CALENDAR_ALLOW_PRIVATE_URLS: 'maybe' })).toThrow(/^CALENDAR_ALLOW_PRIVATE_URLS must be true or false/);
  });
});
