import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadWorkerConfig } from './config/worker.config.js';
import { NotificationConsumer } from './notifications/notification-consumer.js';
import { WorkerModule } from './worker.module.js';

const config = loadWorkerConfig(process.env);
const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { bufferLogs: true });
app.useLogger(app.get(Logger));
// SIGTERM/SIGINT: stop polling, finish in-flight messages, then exit
app.enableShutdownHooks();
app.get(NotificationConsumer).start();
