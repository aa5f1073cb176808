import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { rethrowAws } from '../errors/dependency.error.js';
import type { DataKey, DataKeyProvider } from './data-keys.js';

/** AWS KMS: GenerateDataKey (AES_256) and Decrypt under one key, with the context as encryption context. */
export class KmsDataKeys implements DataKeyProvider {
  constructor(
    private readonly client: KMSClient,
    readonly keyId: string,
  ) {}

  async generateDataKey(context: Record<string, string>): Promise<DataKey> {
    try {
      const result = await this.client.send(
        new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: context }),
      );
      if (!result.Plaintext || !result.CiphertextBlob) {
        throw new Error('KMS GenerateDataKey answered without a key');
      }
      return { plaintext: Buffer.from(result.Plaintext), encrypted: Buffer.from(result.CiphertextBlob) };
    } catch (error) {
      return rethrowAws('KMS', error);
    }
  }

  async decryptDataKey(encrypted: Buffer, context: Record<string, string>): Promise<Buffer> {
    try {
      const result = await this.client.send(
        new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: encrypted, EncryptionContext: context }),
      );
      if (!result.Plaintext) {
        throw new Error('KMS Decrypt answered without a key');
      }
      return Buffer.from(result.Plaintext);
    } catch (error) {
      return rethrowAws('KMS', error);
    }
  }
}
