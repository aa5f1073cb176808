import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { loadAwsConfig } from '#libs/config';
import { SageMakerControlPlane, SageMakerControlPlaneError } from './describe-endpoint.js';

interface Seen {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A control plane answering each request with the next of `answers` (status, body), recording what it got. */
async function controlPlane(answers: Array<[number, unknown]>) {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ headers: request.headers, body });
      const [status, answer] = answers[Math.min(seen.length, answers.length) - 1]!;
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SageMakerControlPlane(
    loadAwsConfig({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_SAGEMAKER: url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    }),
  );
  return { client, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe(SageMakerControlPlane.name, () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
  });

  it('sends DescribeEndpoint as a SigV4-signed JSON 1.1 request for the sagemaker service', async () => {
    const plane = await controlPlane([[200, { ProductionVariants: [{ CurrentInstanceCount: 2 }] }]]);
    close = plane.close;
    await expect(plane.client.describeEndpoint('sdxl')).resolves.toEqual({
      ProductionVariants: [{ CurrentInstanceCount: 2 }],
    });
    const [request] = plane.seen;
    expect(JSON.parse(request!.body)).toEqual({ EndpointName: 'sdxl' });
    expect(request!.headers['x-amz-target']).toBe('SageMaker.DescribeEndpoint');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/sagemaker\/aws4_request, SignedHeaders=[^,]*content-type;host;[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/,
    );
  });

  it('tries once more after a server error, and answers with the second answer', async () => {
    const plane = await controlPlane([
      [503, { __type: 'com.amazonaws.sagemaker#ServiceUnavailable', message: 'busy' }],
      [200, { ProductionVariants: [] }],
    ]);
    close = plane.close;
    await expect(plane.client.describeEndpoint('sdxl')).resolves.toEqual({ ProductionVariants: [] });
    expect(plane.seen).toHaveLength(2);
  });

  it('gives a refusal its name, message and status at once, without trying again', async () => {
    const plane = await controlPlane([[400, { __type: 'ValidationException', message: 'Could not find endpoint' }]]);
    close = plane.close;
    const failure = await plane.client.describeEndpoint('missing').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SageMakerControlPlaneError);
    expect(failure).toMatchObject({
      name: 'ValidationException',
      message: 'Could not find endpoint',
      $metadata: { httpStatusCode: 400 },
      $fault: 'client',
    });
    expect(plane.seen).toHaveLength(1);
  });
});
