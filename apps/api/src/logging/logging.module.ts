import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ulid } from 'ulid';
import { loggerOptions } from '#libs/logging';
import type { ApiConfig } from '../config/api.config.js';

const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A caller's request id if it is sane (ALB and clients send one), else a fresh ULID; echoed back. */
function requestIdOf(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : ulid();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** Structured request logs (nestjs-pino): every line about a request carries its request id. */
@Module({})
export class ApiLoggingModule {
  static register(config: ApiConfig): DynamicModule {
    return {
      module: ApiLoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            ...loggerOptions(config.app, 'api'),
            genReqId: requestIdOf,
            customAttributeKeys: { reqId: 'requestId' },
            autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
          assignResponse: true,
        }),
      ],
    };
  }
}
