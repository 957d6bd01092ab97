import { ConfigError, loadConfig } from '../src/config';
import { DEFAULT_RETRY_DELAYS_MS } from '../src/modules/webhook/dispatcher';
import { checkWebhookUrl, isPublicAddress, UnsafeUrlError } from '../src/modules/webhook/url-safety';

// docs/api.md, Part 2, 16 (safe URLs) and 15 (WEBHOOK_RETRY_DELAYS): pure checks, no server.

describe('isPublicAddress (ipaddr.js ranges and ALSO_REFUSED)', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fd00::1', 'IPv6 unique-local'],
    ['fc00::1', 'IPv6 unique-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2001:db8::1', 'documentation'],
    ['::7f00:1', 'IPv4-compatible loopback (::127.0.0.1)'],
    ['::127.0.0.1', 'IPv4-compatible loopback, dotted'],
    ['::a9fe:a9fe', 'IPv4-compatible link-local (cloud metadata)'],
    ['::5db8:d70e', 'IPv4-compatible form of a public address: deprecated, refused too'],
    ['64:ff9b:1::a00:1', 'local-use NAT64 (RFC 8215)'],
    ['64:ff9b::5db8:d70e', 'NAT64 of a public address'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.254', 'benchmarking'],
    ['fec0::1', 'deprecated site-local'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['3fff::1', 'IPv6 documentation (RFC 9637)'],
    ['not an address', 'not an address at all'],
  ])('%s (%s) is refused', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.215.14', '172.32.0.1', '192.169.0.1'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('checkWebhookUrl', () => {
  test.each([
    ['http://127.0.0.1:8080/hook', 'is not a public address'],
    ['http://[::1]/hook', 'is not a public address'],
    ['http://[::ffff:7f00:1]/hook', 'is not a public address'],
    ['http://0x7f000001/hook', 'is not a public address'], // WHATWG URL reads hex IPv4 as 127.0.0.1
    ['http://2130706433/hook', 'is not a public address'], // and a bare number too
    ['http://localhost:3000/hook', 'localhost is not a public address'], // /etc/hosts: no network needed
    ['http://[::127.0.0.1]/', '::7f00:1 is not a public address'],
    ['http://[::a9fe:a9fe]/', 'is not a public address'],
    ['http://[64:ff9b:1::a00:1]/', 'is not a public address'],
    ['http://198.18.0.1/', 'is not a public address'],
    ['http://[fec0::1]/', 'is not a public address'],
    ['https://169.254.169.254/latest/meta-data', 'is not a public address'],
    ['ftp://example.com/hook', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['/relative/path', 'must be an absolute http or https URL'],
    [`https://example.com/${'a'.repeat(2048)}`, 'must be at most 2048 characters'],
  ])('%s is refused: %s', async (url, why) => {
    await expect(checkWebhookUrl(url, false)).rejects.toThrow(UnsafeUrlError);
    await expect(checkWebhookUrl(url, false)).rejects.toThrow(why);
  });

  test('a refusal never says what a name resolves to', async () => {
    await expect(checkWebhookUrl('http://localhost:3000/hook', false)).rejects.toThrow(/^localhost is not a public address$/);
  });

  test('a public IP literal is accepted without a lookup', async () => {
    expect((await checkWebhookUrl('https://93.184.215.14/hooks?x=1', false)).href).toBe('https://93.184.215.14/hooks?x=1');
  });

  test('WEBHOOK_ALLOW_PRIVATE_URLS=true lets private addresses through, but not other schemes', async () => {
    expect((await checkWebhookUrl('http://127.0.0.1:8080/hook', true)).href).toBe('http://127.0.0.1:8080/hook');
    await expect(checkWebhookUrl('file:///etc/passwd', true)).rejects.toThrow('must use http or https');
  });
});

describe('WEBHOOK_RETRY_DELAYS and WEBHOOK_ALLOW_PRIVATE_URLS', () => {
  test('default: the contract schedule, 5 s to 24 h, and private URLs refused', () => {
    const { webhooks } = loadConfig({});
    expect(webhooks.retryDelaysMs).toEqual([5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400].map((s) => s * 1000));
    expect(webhooks.retryDelaysMs).toEqual(DEFAULT_RETRY_DELAYS_MS);
    expect(webhooks.allowPrivateUrls).toBe(false);
  });

  test('a comma list of seconds, fractions allowed; none for no retries', () => {
    expect(loadConfig({ WEBHOOK_RETRY_DELAYS: '1, 0.5,60' }).webhooks.retryDelaysMs).toEqual([1000, 500, 60000]);
    expect(loadConfig({ WEBHOOK_RETRY_DELAYS: 'none' }).webhooks.retryDelaysMs).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }).webhooks.allowPrivateUrls).toBe(true);
  });

  test.each(['-1', '5,,6', '1e3', 'soon', '604801'])('WEBHOOK_RETRY_DELAYS=%s is refused naming the variable', (raw) => {
    expect(() => loadConfig({ WEBHOOK_RETRY_DELAYS: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_RETRY_DELAYS: raw })).toThrow(/^WEBHOOK_RETRY_DELAYS must be/);
  });

  test('WEBHOOK_ALLOW_PRIVATE_URLS must be a boolean', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'sometimes' })).toThrow('WEBHOOK_ALLOW_PRIVATE_URLS must be true or false');
  });
});
