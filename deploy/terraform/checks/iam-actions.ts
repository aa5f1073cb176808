import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HclBody, TerraformTree } from './hcl.js';

/**
 * The IAM action each AWS SDK command of the platform needs (Service Authorization Reference). Commands the code sends
 * that are missing here fail the check, so a new adapter call cannot go unnoticed.
 */
export const ACTION_OF_COMMAND: Readonly<Record<string, string>> = {
  // @aws-sdk/lib-dynamodb document commands and the low-level ones
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  DescribeTableCommand: 'dynamodb:DescribeTable',
  GetObjectCommand: 's3:GetObject',
  HeadObjectCommand: 's3:GetObject',
  PutObjectCommand: 's3:PutObject',
  DeleteObjectsCommand: 's3:DeleteObject',
  HeadBucketCommand: 's3:ListBucket',
  ListObjectsV2Command: 's3:ListBucket',
  DescribeEndpointCommand: 'sagemaker:DescribeEndpoint',
  InvokeEndpointCommand: 'sagemaker:InvokeEndpoint',
  InvokeEndpointAsyncCommand: 'sagemaker:InvokeEndpointAsync',
  ReceiveMessageCommand: 'sqs:ReceiveMessage',
  DeleteMessageCommand: 'sqs:DeleteMessage',
  ChangeMessageVisibilityCommand: 'sqs:ChangeMessageVisibility',
  GetQueueAttributesCommand: 'sqs:GetQueueAttributes',
  SendMessageCommand: 'sqs:SendMessage',
  GenerateDataKeyCommand: 'kms:GenerateDataKey',
  DecryptCommand: 'kms:Decrypt',
};

/** rate-limiter-flexible's RateLimiterDynamo (tableCreated and ttlSet: it never creates the table or its TTL). */
export const RATE_LIMITER_ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * `new XCommand(` in the adapters the api and the worker run (libs/*, apps/api, apps/worker; not the provisioning),
 * and `controlPlaneCall('X'` for the SageMaker control-plane calls the code signs itself (SageMakerControlPlane),
 * which need what the SDK's `XCommand` would.
 */
export function commandsSent(repo: string, dirs: readonly string[]): Set<string> {
  const commands = new Set<string>();
  for (const dir of dirs) {
    for (const file of readdirSync(join(repo, dir), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.includes('.spec.') || file.includes('spec.ts')) {
        continue;
      }
      const source = readFileSync(join(repo, dir, file), 'utf8');
      for (const match of source.matchAll(/new (\w+Command)\(/g)) {
        commands.add(match[1]!);
      }
      for (const match of source.matchAll(/controlPlaneCall(?:<[^>]*>)?\('(\w+)'/g)) {
        commands.add(`${match[1]!}Command`);
      }
    }
  }
  return commands;
}

/** The actions granted by the named policy documents of a module (statements with Allow). */
export function grantedActions(tree: TerraformTree, modulePath: string, documents: readonly string[]): Set<string> {
  const module = tree.modules.find((candidate) => candidate.path === modulePath);
  const actions = new Set<string>();
  for (const resource of module?.resources ?? []) {
    if (resource.kind !== 'data' || resource.type !== 'aws_iam_policy_document' || !documents.includes(resource.name)) {
      continue;
    }
    const statements = Array.isArray(resource.body.statement) ? (resource.body.statement as HclBody[]) : [];
    for (const statement of statements) {
      if (statement.effect === 'Deny' || !Array.isArray(statement.actions)) {
        continue;
      }
      for (const action of statement.actions) {
        if (typeof action === 'string') {
          actions.add(action);
        }
      }
    }
  }
  return actions;
}
