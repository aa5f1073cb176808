import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError } from '#libs/config';
import { loadWorkerConfig } from './config/worker.config.js';
import { NotificationConsumer } from './notifications/notification-consumer.js';
import { Reaper } from './reaper/reaper.js';
import { ProgressConsumer } from './progress/progress-consumer.js';
import { WEBHOOK_CONSUMER } from './webhooks/webhook-consumer.js';
import { WorkerModule } from './worker.module.js';

try {
  const config = loadWorkerConfig(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT: stop polling, finish in-flight messages or hand them back, within WORKER_SHUTDOWN_TIMEOUT_MS
  app.enableShutdownHooks();
  app.get(NotificationConsumer).start();
  app.get(Reaper).start();
  app.get(ProgressConsumer).start();
  app.get<NotificationConsumer>(WEBHOOK_CONSUMER).start();
} catch (error) {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
}
