import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKeyProvider } from '#libs/aws';
import { additionalData } from './local-data-keys.js';

/** A secret as stored: encrypted under its own data key, itself wrapped by the key-encryption key `keyId`. */
export interface SealedSecret {
  keyId: string;
  /** base64 of each part */
  encryptedDataKey: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

/**
 * Envelope encryption of small secrets: a fresh data key per secret (KMS GenerateDataKey in AWS), AES-256-GCM with
 * the context as additional data; only the wrapped data key is stored. The plaintext data key is dropped at once.
 */
export class SecretEnvelope {
  constructor(private readonly keys: DataKeyProvider) {}

  async seal(plaintext: Buffer, context: Record<string, string>): Promise<SealedSecret> {
    const dataKey = await this.keys.generateDataKey(context);
    try {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv).setAAD(additionalData(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return {
        keyId: this.keys.keyId,
        encryptedDataKey: dataKey.encrypted.toString('base64'),
        iv: iv.toString('base64'),
        ciphertext: ciphertext.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: Record<string, string>): Promise<Buffer> {
    const dataKey = await this.keys.decryptDataKey(Buffer.from(sealed.encryptedDataKey, 'base64'), context);
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.iv, 'base64')).setAAD(
        additionalData(context),
      );
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    } finally {
      dataKey.fill(0);
    }
  }
}
