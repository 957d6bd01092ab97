/*
 * Calendar credentials at rest (docs/api.md Part 3, 30): AES-256-GCM from node:crypto, keyed by
 * SECRET_KEY. The key string may be a passphrase, so the AES key is derived with scrypt (memory-
 * hard; once per key string, cached). Sealed form: "v1." + base64url(iv 12 | tag 16 | ciphertext).
 * The version names the derivation and cipher, so a later format can sit beside this one. The
 * `context` (e.g. the source's id) is authenticated with the ciphertext: a sealed secret copied
 * onto another row does not open there.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = 'slotbook/secret-box/v1';

/** A sealed secret that cannot be opened: wrong key, tampered, or not a sealed secret at all. */
export class SecretBoxError extends Error {
  constructor() {
    super('the stored secret cannot be decrypted with this SECRET_KEY (wrong key, or the data was altered)');
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

const keys = new Map<string, Buffer>();

function keyOf(secretKey: string): Buffer {
  let key = keys.get(secretKey);
  if (!key) {
    key = scryptSync(secretKey, SALT, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    keys.set(secretKey, key);
  }
  return key;
}

const aad = (context: string): Buffer => Buffer.from(`${VERSION}\0${context}`, 'utf8');

export function createSecretBox(secretKey: string): SecretBox {
  if (!secretKey) throw new Error('SECRET_KEY must not be empty');
  const key = keyOf(secretKey);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, body, extra] = sealed.split('.');
      if (version !== VERSION || body === undefined || extra !== undefined) throw new SecretBoxError();
      const bytes = Buffer.from(body, 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES)).setAAD(aad(context));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError();
      }
    },
  };
}
