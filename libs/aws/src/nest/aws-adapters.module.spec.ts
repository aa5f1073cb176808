import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { type AwsConfig, DEFAULT_LOCAL_PORTS, loadResourcesConfig, localEnvironment } from '#libs/config';
import { AwsClients } from '../clients/aws-clients.js';
import { ApiKeyRepository } from '../dynamodb/api-key.repository.js';
import { BatchRepository } from '../dynamodb/batch.repository.js';
import { JobRepository } from '../dynamodb/job.repository.js';
import { ModelStatsRepository } from '../dynamodb/model-stats.repository.js';
import { AwsAdaptersModule } from './aws-adapters.module.js';

/** A DynamoDB stand-in that answers every call with an empty item and counts the TCP connections made to it. */
function emptyDynamoDb(): { server: Server; connections: () => number } {
  let connections = 0;
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  return { server, connections: () => connections };
}

describe('AwsAdaptersModule', () => {
  const dynamoDb = emptyDynamoDb();
  let aws: AwsConfig;

  beforeAll(async () => {
    await new Promise<void>((resolve) => dynamoDb.server.listen(0, '127.0.0.1', resolve));
    const { port } = dynamoDb.server.address() as AddressInfo;
    aws = {
      region: 'us-east-1',
      endpoints: { dynamodb: `http://127.0.0.1:${port}` },
      s3ForcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      timeouts: { connectionTimeoutMs: 1000, requestTimeoutMs: 2000 },
      invokeRetry: { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 200 },
    };
  });

  afterAll(async () => {
    dynamoDb.server.closeAllConnections();
    await new Promise((resolve) => dynamoDb.server.close(resolve));
  });

  it('builds its adapters over one client per service, so they share one pool of connections', async () => {
    const resources = loadResourcesConfig(localEnvironment({ ports: DEFAULT_LOCAL_PORTS }));
    const module = await Test.createTestingModule({
      imports: [AwsAdaptersModule.register({ aws, resources })],
    }).compile();

    // four adapters, one after another: each call finds the previous call's connection idle and reuses it
    await module.get(JobRepository).get('01JOBID0000000000000000000');
    await module.get(ApiKeyRepository).findById('key');
    await module.get(BatchRepository).get('batch');
    await module.get(ModelStatsRepository).get('model');

    expect(dynamoDb.connections()).toBe(1);
    expect(module.get(AwsClients).documents).toBe(module.get(AwsClients).documents);
    module.get(AwsClients).documents.destroy();
  });
});
