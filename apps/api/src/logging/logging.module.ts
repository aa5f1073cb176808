import type { IncomingMessage } from 'node:http';
import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pinoHttpSettings } from '#libs/logging';
import { loggableUrl } from './loggable-url.js';
import type { ApiConfig } from '../config/api.config.js';

/** Structured request logs (nestjs-pino): every line about a request carries its request id. */
@Module({})
export class ApiLoggingModule {
  static register(config: ApiConfig): DynamicModule {
    return {
      module: ApiLoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: pinoHttpSettings(config.app, 'api', {
            // Fastify assigns the id (see request-id.ts); every line about the request carries it
            customProps: (request: IncomingMessage & { id?: unknown }) => ({ requestId: request.id }),
            // probes every few seconds would drown the log; middie may strip the path from url, not from originalUrl
            autoLogging: {
              ignore: (request: IncomingMessage & { originalUrl?: string }) =>
                (request.originalUrl ?? request.url ?? '').startsWith('/health'),
            },
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: loggableUrl(req.url),
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          }),
          assignResponse: true,
          // nestjs-pino's default route pattern does not reach Fastify routes under Nest 12; '*' does
          forRoutes: [{ path: '*', method: RequestMethod.ALL }],
        }),
      ],
    };
  }
}
