import { ConfigError, DEFAULT_POOL_SIZE, loadConfig, parseDatabaseUrl } from '../src/config';

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
