import fc from 'fast-check';
import { OUTPUT_FORMATS, QUALITIES, WEBHOOK_EVENT_KINDS, characterCount } from '#libs/contracts';
import { webhookUrlProblem } from '#libs/webhooks';
import { BUILT_IN_MODELS } from '#libs/models';
import { REQUEST_BOUNDS as B } from '../../../apps/api/src/jobs/dto/request-bounds.js';
import { JsonObjectText, type JsonValueText, RawJson, toJsonText } from './json-text.js';
import { hostileString, NOT_TEXT, NOT_TEXT_CHARACTERS } from './strings.js';

/** A job the api accepts: the base every generated body spoils. */
export const VALID_JOB = new JsonObjectText([['prompt', 'a red fox in the snow']]);

const MODEL_IDS: readonly string[] = BUILT_IN_MODELS.map((model) => model.id);
const isInteger = (value: unknown, min: number, max: number, multipleOf = 1): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max && value % multipleOf === 0;
const isText = (value: unknown, allowBlank: boolean): boolean =>
  typeof value === 'string' &&
  (allowBlank || value.trim().length > 0) &&
  characterCount(value) <= B.promptLength &&
  !NOT_TEXT.test(value);

/**
 * Which values the api must accept in each field of POST /v1/jobs (null and absence mean "default" for the optional
 * ones): a generated value is a fault only when its field's rule refuses it. The rules are the request's widest
 * bounds; a model narrows them further, which only makes more values faults.
 */
export const JOB_FIELD_RULES: Record<string, (value: unknown) => boolean> = {
  prompt: (value) => isText(value, false),
  negativePrompt: (value) => value === null || isText(value, true),
  modelId: (value) => value === null || (typeof value === 'string' && MODEL_IDS.includes(value)),
  steps: (value) => value === null || isInteger(value, B.steps.min, B.steps.max),
  width: (value) => value === null || isInteger(value, B.size.min, B.size.max, B.size.multipleOf),
  height: (value) => value === null || isInteger(value, B.size.min, B.size.max, B.size.multipleOf),
  quality: (value) => value === null || QUALITIES.includes(value as never),
  guidanceScale: (value) =>
    value === null ||
    (typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= B.guidanceScale.min &&
      value <= B.guidanceScale.max),
  seed: (value) => value === null || isInteger(value, B.seed.min, B.seed.max),
  numImages: (value) => value === null || isInteger(value, B.numImages.min, B.numImages.max),
  outputFormat: (value) => value === null || OUTPUT_FORMATS.includes(value as never),
  // the test stack's policy: http and loopback receivers allowed (APP_ENV=test), private addresses not
  webhookUrl: (value) =>
    value === null ||
    (typeof value === 'string' && webhookUrlProblem(value, { allowLoopback: true, httpsOnly: false }) === undefined),
  // valid on its own; without a webhookUrl the body is refused anyway (a fault of another kind)
  webhookEvents: (value) =>
    value === null ||
    (Array.isArray(value) &&
      value.length <= WEBHOOK_EVENT_KINDS.length &&
      new Set(value).size === value.length &&
      value.every((kind) => WEBHOOK_EVENT_KINDS.includes(kind as never))),
};
const FIELDS = Object.keys(JOB_FIELD_RULES);

/** Keys that have meant trouble for JavaScript objects, and near misses of real field names. */
const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];
const NEAR_MISSES = [
  '',
  ' prompt',
  'Prompt',
  'PROMPT',
  'prompt\u0000',
  'prompt ',
  'params',
  'ownerId',
  'jobId',
  'status',
];

const memberKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom(...NEAR_MISSES) },
  { weight: 2, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 2, arbitrary: hostileString },
);

/** Number literals as written in JSON text, some of which JSON.parse cannot keep (1e999 is Infinity). */
const numberLiteral: fc.Arbitrary<RawJson> = fc
  .constantFrom(
    ...['1e999', '-1e999', '1e-999', '-0', '0.1', '7.0', '1E3', '9007199254740993', '123456789012345678901234567890'],
    ...['-1', '0', '255', '257', '1537', '1e2', '4.5e1', '0.000000001'],
  )
  .map((text) => new RawJson(text));

const leaf: fc.Arbitrary<JsonValueText> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.integer({ min: -2_000_000, max: 2_000_000 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: numberLiteral },
);

/** Any JSON value, nested a few levels, with prototype keys and duplicate keys at every level. */
export const anyJson: fc.Arbitrary<JsonValueText> = fc.letrec<{
  value: JsonValueText;
  array: JsonValueText[];
  object: JsonObjectText;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(memberKey, tie('value')), { maxLength: 4 }).map((members) => new JsonObjectText(members)),
})).value;

/** The value JSON.parse makes of a generated value: what the rules judge. */
function parsed(value: JsonValueText): unknown {
  return JSON.parse(toJsonText(value)) as unknown;
}

/** Values close to each field's bounds: numbers as strings, one past each end, off the multiple, fractions. */
function nearMisses(field: string): JsonValueText[] {
  const near = [
    '20',
    '1024',
    1.5,
    -1,
    0,
    true,
    [],
    new JsonObjectText([]),
    [20],
    B.steps.max + 1,
    B.size.max + B.size.multipleOf,
    B.size.min - B.size.multipleOf,
    1000,
    B.numImages.max + 1,
    B.seed.max + 1,
    B.guidanceScale.max + 0.5,
    'PNG',
    'Standard',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'https://[::ffff:127.0.0.2]:99999/',
    'https://[fd00:ec2::254]/',
    'gopher://example.com/',
    'https://user:pw@example.com/',
    'http://0x0a000001/',
    ['queued', 'queued'],
    ['done'],
    'completed',
    `${MODEL_IDS[0]} `,
    MODEL_IDS[0]!.toUpperCase(),
  ];
  return field === 'prompt' ? [...near, null, '', '   ', '\u00a0\u3000\t'] : near;
}

/** Text otherwise fine but for one control character or lone surrogate, which no text field takes. */
const notTextMember: fc.Arbitrary<readonly [string, JsonValueText]> = fc
  .tuple(
    fc.constantFrom('prompt', 'negativePrompt'),
    fc.string({ maxLength: 10 }),
    fc.constantFrom(...NOT_TEXT_CHARACTERS),
    fc.string({ maxLength: 10 }),
  )
  .map(([field, before, bad, after]) => [field, `a fox${before}${bad}${after}`] as const);

/**
 * One member that makes a job body invalid on its own: a field with a value its rule refuses, text with a character
 * no text takes, or an unknown key.
 */
export const faultyMember: fc.Arbitrary<readonly [string, JsonValueText]> = fc.oneof(
  notTextMember,
  fc.constantFrom(...FIELDS).chain((field) =>
    fc
      .oneof(anyJson, fc.constantFrom(...nearMisses(field)))
      .filter((value) => !JOB_FIELD_RULES[field]!(parsed(value)))
      .map((value) => [field, value] as const),
  ),
  fc.tuple(memberKey, anyJson).filter(([key]) => !FIELDS.includes(key)),
);

/**
 * A POST /v1/jobs body the api must refuse: the valid job, then members of any validity (noise), then one to three
 * faulty members. JSON keeps the last of repeated keys, so the faults always stand.
 */
export const faultyJobBody: fc.Arbitrary<JsonObjectText> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...FIELDS), anyJson), { maxLength: 3 }),
    fc.array(faultyMember, { minLength: 1, maxLength: 3 }),
  )
  .map(([noise, faults]) => new JsonObjectText([...VALID_JOB.members, ...noise, ...faults]));

/** A body that is valid JSON but not an object: the api takes objects only. */
export const notAnObjectBody: fc.Arbitrary<JsonValueText> = anyJson.filter(
  (value) => !(value instanceof JsonObjectText),
);

/** Text of valid jobs, to be broken: cut short or spoiled. */
const validJobText: fc.Arbitrary<string> = fc
  .record(
    {
      prompt: fc.string({ minLength: 1, maxLength: 40 }).filter((text) => isText(text, false)),
      steps: fc.integer({ min: 10, max: 40 }),
      outputFormat: fc.constantFrom(...OUTPUT_FORMATS),
    },
    { requiredKeys: ['prompt'] },
  )
  .map((job) => JSON.stringify(job));

const brokenJsonText: fc.Arbitrary<string> = fc.oneof(
  // every proper prefix of an object's text is invalid JSON
  validJobText.chain((text) => fc.integer({ min: 0, max: text.length - 1 }).map((cut) => text.slice(0, cut))),
  fc.constantFrom(
    ...["{'prompt':'x'}", '{prompt:"x"}', '{"prompt":"x",}', '{"prompt":"x"}}', '{"prompt":"x"} trailing'],
    ...['{"prompt":"x" /* c */}', '{"prompt":NaN}', '{"prompt":"x","steps":01}', '{"prompt":"\\x41"}'],
    ...['{"prompt":"\u0000', '\ufeff{', '[', ']', '{', '}', '"', 'nul', 'tru', '-', ' ', '\n'],
    ...['{"prompt":"x","steps":-}', '{"prompt":"x","steps":1e}', '{"prompt":"x","steps":.5}', '{"a":"\\ud800'],
  ),
  // garbage inside, and a stray brace after the end: never valid
  validJobText.chain((text) =>
    fc
      .tuple(fc.integer({ min: 1, max: text.length - 1 }), hostileString)
      .map(([at, garbage]) => `${text.slice(0, at)}${garbage}${text.slice(at)}{`),
  ),
);

/** Bytes a JSON parser must refuse: cut short, bad syntax, stray bytes, invalid UTF-8. */
export const brokenJsonBody: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: brokenJsonText.map((text) => Buffer.from(text, 'utf8')) },
  {
    // invalid UTF-8 where a value is expected
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 8, min: 0x80, max: 0xff })
      .map((stray) => Buffer.concat([Buffer.from('{"prompt":"x","steps":'), stray, Buffer.from('}')])),
  },
);

/** A valid job's JSON over the body limit, padded in the prompt. */
export function oversizedJobBody(bodyLimitBytes: number): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.integer({ min: 1, max: 4 * bodyLimitBytes }), fc.constantFrom('x', 'é', '😀', ' '))
    .map(([extra, pad]) => {
      const padding = pad.repeat(Math.ceil((bodyLimitBytes + extra) / Buffer.byteLength(pad)));
      return Buffer.from(JSON.stringify({ prompt: `a fox ${padding}` }), 'utf8');
    });
}

/** A prompt the batch takes as it is. */
const validPrompt: fc.Arbitrary<string> = fc
  .string({ minLength: 1, maxLength: 20 })
  .filter((text) => isText(text, false));

/** A member of `prompts` the api must refuse: not a string, blank, too long, or holding a character no text takes. */
const faultyPrompt: fc.Arbitrary<JsonValueText> = fc.oneof(
  anyJson.filter((value) => typeof parsed(value) !== 'string'),
  fc.constantFrom('', '   ', '\u00a0\u3000\t', 'x'.repeat(B.promptLength + 1)),
  fc
    .tuple(fc.string({ maxLength: 5 }), fc.constantFrom(...NOT_TEXT_CHARACTERS))
    .map(([before, bad]) => `a fox${before}${bad}`),
);

/** `members` with `fault` put in at a generated place. */
const withOneAt = <T>(members: fc.Arbitrary<T[]>, fault: fc.Arbitrary<T>): fc.Arbitrary<T[]> =>
  fc
    .tuple(members, fault, fc.nat())
    .map(([list, bad, at]) => [...list.slice(0, at % (list.length + 1)), bad, ...list.slice(at % (list.length + 1))]);

/**
 * A POST /v1/batches body the api must refuse: a faulty job among valid ones, a faulty prompt among valid ones, a
 * faulty shared member, `jobs` or `prompts` that is not a list (or an empty one, or over 100), both, or neither.
 */
export const faultyBatchBody: fc.Arbitrary<JsonObjectText> = fc.oneof(
  withOneAt(fc.array(fc.constant<JsonValueText>(VALID_JOB), { maxLength: 4 }), faultyJobBody).map(
    (jobs) => new JsonObjectText([['jobs', jobs]]),
  ),
  withOneAt(fc.array(validPrompt, { maxLength: 4 }), faultyPrompt).map(
    (prompts) => new JsonObjectText([['prompts', prompts]]),
  ),
  fc
    .tuple(fc.constantFrom('jobs', 'prompts'), faultyMember)
    .map(([list, member]) => new JsonObjectText([[list, list === 'jobs' ? [VALID_JOB] : ['a fox']], member])),
  fc
    .tuple(
      fc.constantFrom('jobs', 'prompts'),
      fc.oneof(
        anyJson.filter((value) => !Array.isArray(value)),
        fc.constant<JsonValueText>([]),
        fc.constant<JsonValueText>(Array.from({ length: 101 }, (_, index) => `p${index}`)),
      ),
    )
    .map(([list, value]) => new JsonObjectText([[list, value]])),
  fc.constant(
    new JsonObjectText([
      ['jobs', [VALID_JOB]],
      ['prompts', ['a fox']],
    ]),
  ),
  fc.constantFrom(new JsonObjectText([]), new JsonObjectText([['steps', 20]])),
);
