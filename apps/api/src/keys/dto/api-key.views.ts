import { ApiProperty } from '@nestjs/swagger';
import { API_SCOPES, type ApiScope } from '../../auth/scopes.js';

/** An API key as listed: never the secret key nor its hash. */
export class ApiKeyView {
  @ApiProperty({ example: '01JD0000000000000000000000', description: 'The key’s public id (DELETE /v1/keys/{id})' })
  id!: string;

  @ApiProperty({
    example: 'igk_live_01JD0000000000000000000000',
    description: 'How the key begins: enough to recognise it, never enough to use it',
  })
  prefix!: string;

  @ApiProperty({ example: 'ci-nightly' }) name!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...API_SCOPES] },
    example: ['jobs:read', 'jobs:write'],
  })
  scopes!: ApiScope[];

  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Last request made with the key, to the minute; null if never used',
  })
  lastUsedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never expires' })
  expiresAt!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 25, description: 'The key’s own monthly budget; null: none' })
  monthlyBudgetUsd!: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 60,
    description: 'The key’s own requests per minute; null: none',
  })
  requestsPerMinute!: number | null;
}

/** The answer to POST /v1/keys: the only time the key itself is shown. */
export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({
    example: 'igk_live_01JD0000000000000000000000_4fJ0cW1a9Q2xYk7LrT3mVb8nZs6dHgPe5uKoNi0jAqB1wXyz',
    description: 'The secret key: send it as `Authorization: Bearer <key>`. Shown only now; store it safely',
  })
  key!: string;
}

export class ApiKeyPageView {
  @ApiProperty({ type: [ApiKeyView] }) items!: ApiKeyView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end' })
  nextCursor!: string | null;
}
