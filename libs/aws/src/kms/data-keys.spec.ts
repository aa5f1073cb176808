import { DecryptCommand, GenerateDataKeyCommand, KMSClient, KMSInvalidStateException } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { DependencyUnavailableError } from '../errors/dependency.error.js';
import { openKmsDataKeys } from './data-keys.js';
import { KmsDataKeys } from './kms-data-keys.js';

// There is no KMS emulator in the local stack: the adapter is checked against aws-sdk-client-mock, which records the
// commands the real SDK client would send.
describe('KmsDataKeys', () => {
  const kms = mockClient(KMSClient);
  afterEach(() => {
    kms.reset();
  });
  const keyId = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const context = { purpose: 'webhook-secret', ownerId: 'alice' };

  it('is opened with the KMS SDK loaded on demand, under the configured key', async () => {
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: new Uint8Array(32), CiphertextBlob: Buffer.from('wrapped') });
    const keys = await openKmsDataKeys(
      {
        region: 'us-east-1',
        endpoints: {},
        s3ForcePathStyle: false,
        timeouts: { connectionTimeoutMs: 1000, requestTimeoutMs: 2000 },
        invokeRetry: { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 200 },
      },
      keyId,
    );
    expect(keys.keyId).toBe(keyId);
    await keys.generateDataKey(context);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toMatchObject({ KeyId: keyId });
  });

  it('asks KMS for an AES-256 data key under its key, bound to the context', async () => {
    kms
      .on(GenerateDataKeyCommand)
      .resolves({ Plaintext: new Uint8Array(32).fill(7), CiphertextBlob: Buffer.from('wrapped') });
    const key = await new KmsDataKeys(new KMSClient({ region: 'us-east-1' }), keyId).generateDataKey(context);
    expect(key.plaintext).toEqual(Buffer.alloc(32, 7));
    expect(key.encrypted.toString()).toBe('wrapped');
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toEqual({
      KeyId: keyId,
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });
  });

  it('decrypts a wrapped key with the same key id and context', async () => {
    kms.on(DecryptCommand).resolves({ Plaintext: new Uint8Array(32).fill(9) });
    const plaintext = await new KmsDataKeys(new KMSClient({ region: 'us-east-1' }), keyId).decryptDataKey(
      Buffer.from('wrapped'),
      context,
    );
    expect(plaintext).toEqual(Buffer.alloc(32, 9));
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input).toEqual({
      KeyId: keyId,
      CiphertextBlob: Buffer.from('wrapped'),
      EncryptionContext: context,
    });
  });

  it('turns a KMS outage into DependencyUnavailableError and passes a refusal through', async () => {
    const adapter = new KmsDataKeys(new KMSClient({ region: 'us-east-1', maxAttempts: 1 }), keyId);
    kms.on(DecryptCommand).rejects(Object.assign(new Error('down'), { $fault: 'server' }));
    await expect(adapter.decryptDataKey(Buffer.from('x'), context)).rejects.toBeInstanceOf(DependencyUnavailableError);
    kms.on(DecryptCommand).rejects(new KMSInvalidStateException({ message: 'disabled', $metadata: {} }));
    await expect(adapter.decryptDataKey(Buffer.from('x'), context)).rejects.toBeInstanceOf(KMSInvalidStateException);
  });
});
