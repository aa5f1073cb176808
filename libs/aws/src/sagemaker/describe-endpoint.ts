import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsConfig } from '#libs/config';
import { isTransientAwsError } from '../errors/dependency.error.js';

/** The part of SageMaker's DescribeEndpoint answer the platform reads. */
export interface DescribeEndpointAnswer {
  ProductionVariants?: Array<{ CurrentInstanceCount?: number; DesiredInstanceCount?: number }>;
  AsyncInferenceConfig?: { ClientConfig?: { MaxConcurrentInvocationsPerInstance?: number } };
}

export interface DescribeEndpoint {
  describeEndpoint(endpointName: string): Promise<DescribeEndpointAnswer>;
}

/** A refusal or failure of the SageMaker control plane, shaped like the SDK's errors (for isTransientAwsError). */
export class SageMakerControlPlaneError extends Error {
  readonly $metadata: { httpStatusCode?: number };
  readonly $fault: 'client' | 'server';

  constructor(name: string, message: string, httpStatusCode: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode };
    this.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  }
}

/**
 * DescribeEndpoint, the platform's one SageMaker control-plane call, as the signed JSON 1.1 request the SDK would
 * send. The SDK's SageMaker client brings every control-plane operation's schema with it: about 45 MB of the api's
 * memory for this one call. Same credentials chain, region, endpoint override and timeouts as the SDK clients;
 * one retry after a transient failure.
 */
export class SageMakerControlPlane implements DescribeEndpoint {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;

  constructor(private readonly config: AwsConfig) {
    this.endpoint = new URL(config.endpoints.sagemaker ?? `https://api.sagemaker.${config.region}.amazonaws.com`);
    this.signer = new SignatureV4({
      service: 'sagemaker',
      region: config.region,
      credentials: config.credentials ?? defaultProvider(),
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  async describeEndpoint(endpointName: string): Promise<DescribeEndpointAnswer> {
    try {
      return await this.controlPlaneCall('DescribeEndpoint', { EndpointName: endpointName });
    } catch (error) {
      if (!isTransientAwsError(error)) {
        throw error;
      }
      return this.controlPlaneCall('DescribeEndpoint', { EndpointName: endpointName });
    }
  }

  /** One operation (`SageMaker.<operation>`); the Terraform checks find the IAM action each needs by this name. */
  private async controlPlaneCall<T>(operation: string, input: unknown): Promise<T> {
    const body = JSON.stringify(input);
    const request = new HttpRequest({
      method: 'POST',
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      ...(this.endpoint.port ? { port: Number(this.endpoint.port) } : {}),
      path: this.endpoint.pathname,
      headers: {
        host: this.endpoint.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `SageMaker.${operation}`,
      },
      body,
    });
    const signed = await this.signer.sign(request);
    const { connectionTimeoutMs, requestTimeoutMs } = this.config.timeouts;
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: signed.headers,
      body,
      signal: AbortSignal.timeout(connectionTimeoutMs + requestTimeoutMs),
    }).catch((error: unknown) => {
      throw noAnswer(error);
    });
    const text = await response.text();
    const answer = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!response.ok) {
      // JSON 1.1 errors: `__type` is "[namespace#]Name", the message in `message` or `Message`
      const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
      const type = response.headers.get('x-amzn-errortype') ?? stringOf(answer.__type) ?? 'UnknownError';
      const name = type.split(':')[0]!.split('#').at(-1)!;
      const message = stringOf(answer.message) ?? stringOf(answer.Message) ?? `SageMaker answered ${response.status}`;
      throw new SageMakerControlPlaneError(name, message, response.status);
    }
    return answer as T;
  }
}

/** fetch's "fetch failed" names its cause only in `cause`: the error says it, with the socket's code. */
function noAnswer(error: unknown): unknown {
  // by name, not instanceof: the abort's DOMException may come from another realm (as under jest)
  if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') {
    return error;
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return Object.assign(new Error(`no answer from SageMaker: ${cause?.message ?? String(error)}`, { cause: error }), {
    code: cause?.code ?? 'ECONNRESET',
  });
}
