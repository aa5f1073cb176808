import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApiKeyRecord } from '#libs/aws';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { ApiScope } from '../auth/scopes.js';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';
import { CreateApiKeyDto } from './dto/create-key.dto.js';
import { ApiKeyPageView, ApiKeyView, CreatedApiKeyView } from './dto/api-key.views.js';
import { ListApiKeysQuery } from './dto/list-keys.query.js';
import { keyPrefix, KeysService } from './keys.service.js';

const ONLY_SIGNED_IN =
  'Only with a signed-in user’s access token: an API key gets 403 (a key cannot create, list or revoke keys).';

/** No @RequireScope: API keys are refused here (AuthGuard), so a leaked key cannot mint more. */
@ApiTags('keys')
@ApiBearerAuth()
@Controller('v1/keys')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'createApiKey',
    summary: 'Create an API key (shown once)',
    description:
      'The answer holds the key itself (`key`), the only time it is shown: only its HMAC is stored. The key acts as ' +
      `you with only its scopes, never as an administrator. ${ONLY_SIGNED_IN}`,
  })
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({
    type: CreatedApiKeyView,
    description: 'Created; the key is in `key`, shown only now',
    headers: {
      Location: {
        description: 'The key’s id under /v1/keys (DELETE it to revoke the key)',
        required: true,
        schema: { type: 'string', example: '/v1/keys/01JD0000000000000000000000' },
      },
    },
  })
  @ApiProblemResponses(400, 401, 403, 413, 415, 429, 503)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateApiKeyDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedApiKeyView> {
    const created = await this.keys.create(user, body);
    void reply.header('location', `/v1/keys/${created.record.keyId}`);
    return { ...toView(created.record), key: created.key };
  }

  @Get()
  @ApiOperation({
    operationId: 'listApiKeys',
    summary: 'List your API keys, newest first',
    description: `Prefixes and metadata only, never a key or its hash. ${ONLY_SIGNED_IN}`,
  })
  @ApiOkResponse({ type: ApiKeyPageView })
  @ApiProblemResponses(400, 401, 403, 429, 503)
  async list(@CurrentUser() user: AuthUser, @Query() query: ListApiKeysQuery): Promise<ApiKeyPageView> {
    const page = await this.keys.list(user, query);
    return { items: page.keys.map(toView), nextCursor: page.nextCursor ?? null };
  }

  @Delete(':keyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'revokeApiKey',
    summary: 'Revoke one of your API keys',
    description:
      'Refused at once by the instance that answers, and by every api instance within API_KEYS_CACHE_TTL_SECONDS ' +
      `(default 5 s). Another user’s key is a 404, like a missing one. ${ONLY_SIGNED_IN}`,
  })
  @ApiParam({ name: 'keyId', example: '01JD0000000000000000000000' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblemResponses(401, 403, 404, 429, 503)
  async revoke(@CurrentUser() user: AuthUser, @Param('keyId') keyId: string): Promise<void> {
    await this.keys.revoke(user, keyId);
  }
}

function toView(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.keyId,
    prefix: keyPrefix(record.keyId),
    name: record.name,
    scopes: record.scopes as ApiScope[],
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt ?? null,
    expiresAt: record.keyExpiresAt ?? null,
    monthlyBudgetUsd: record.monthlyBudgetUsd ?? null,
    requestsPerMinute: record.requestsPerMinute ?? null,
  };
}
