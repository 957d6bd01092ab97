import { createSecretBox, SecretBoxError } from '../../src/modules/calendar-source/secret-box';

describe('secret box (AES-256-GCM keyed by SECRET_KEY)', () => {
  const box = createSecretBox('correct horse battery staple');

  test.each([
    ['a password', 'hunter2-très-sécret'],
    ['empty', ''],
    ['long', 'x'.repeat(10_000)],
  ])('round trip: %s', (_why, plaintext) => {
    const sealed = box.seal(plaintext, 'source-1');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    if (plaintext) expect(sealed).not.toContain(plaintext);
    expect(box.open(sealed, 'source-1')).toBe(plaintext);
  });

  test('two seals of one secret differ (random IV)', () => {
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  const flip = (sealed: string, at: number): string => {
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[at]! ^= 1;
    return `v1.${bytes.toString('base64url')}`;
  };

  const refusals: Array<[string, (sealed: string) => [string, string, ReturnType<typeof createSecretBox>]]> = [
    ['a flipped ciphertext byte', (s) => [flip(s, 30), 'source-1', box]],
    ['a flipped tag byte', (s) => [flip(s, 14), 'source-1', box]],
    ['a flipped IV byte', (s) => [flip(s, 0), 'source-1', box]],
    ['another context (copied onto another row)', (s) => [s, 'source-2', box]],
    ['the wrong key', (s) => [s, 'source-1', createSecretBox('another key')]],
    ['an unknown version', (s) => ['v2' + s.slice(2), 'source-1', box]],
    ['truncated', (s) => [s.slice(0, 10), 'source-1', box]],
    ['not sealed at all', () => ['plain text', 'source-1', box]],
  ];
  test.each(refusals)('refuses %s', (_why, spoil) => {
    const [sealed, context, opener] = spoil(box.seal('hunter2', 'source-1'));
    expect(() => opener.open(sealed, context)).toThrow(SecretBoxError);
    expect(() => opener.open(sealed, context)).toThrow(/cannot be decrypted with this SECRET_KEY/);
  });
});
