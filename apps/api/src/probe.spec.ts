import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

@Injectable()
class S { v(): string { return 'ok'; } }
@Controller()
class C { constructor(private readonly s: S) {} @Get('/x') x(): { v: string } { return { v: this.s.v() }; } }
@Module({ controllers: [C], providers: [S] })
class M {}

test('nest esm works', async () => {
  const mod = await Test.createTestingModule({ imports: [M] }).compile();
  const app = mod.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  await app.init(); await app.getHttpAdapter().getInstance().ready();
  const r = await request(app.getHttpServer()).get('/x');
  expect(r.body).toEqual({ v: 'ok' });
  await app.close();
});
