import type { AwsConfig } from '#libs/config';
import { awsClientOptions } from '../clients/aws-clients.js';

/** A data key for envelope encryption: used in memory, stored only wrapped (`encrypted`). */
export interface DataKey {
  plaintext: Buffer;
  encrypted: Buffer;
}

/**
 * Envelope encryption's key-encryption side: makes data keys and unwraps them. `context` is bound to the wrapped
 * key (KMS encryption context, AES-GCM additional data locally): a key wrapped for one user does not unwrap for
 * another. `keyId` names the key-encryption key, stored with each sealed value.
 */
export interface DataKeyProvider {
  readonly keyId: string;
  generateDataKey(context: Record<string, string>): Promise<DataKey>;
  decryptDataKey(encrypted: Buffer, context: Record<string, string>): Promise<Buffer>;
}

/**
 * KMS data keys under `keyId`. The KMS SDK is loaded here, on first need: a process without a KMS key (local
 * development) never loads it.
 */
export async function openKmsDataKeys(config: AwsConfig, keyId: string): Promise<DataKeyProvider> {
  const [{ KMSClient }, { KmsDataKeys }] = await Promise.all([
    import('@aws-sdk/client-kms'),
    import('./kms-data-keys.js'),
  ]);
  return new KmsDataKeys(new KMSClient(awsClientOptions(config, 'kms')), keyId);
}
