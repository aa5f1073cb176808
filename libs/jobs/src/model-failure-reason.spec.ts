import { describe, expect, it } from '@jest/globals';
import { readableReason } from './model-failure-reason.js';

describe(readableReason.name, () => {
  it.each([
    ['{"code":500,"type":"InternalServerException","message":"CUDA out of memory"}', 'CUDA out of memory'],
    ['{"ErrorCode":"CLIENT_ERROR_FROM_MODEL","Message":"Received server error (500)"}', 'Received server error (500)'],
    ['{"OriginalMessage":"model crashed"}', 'model crashed'],
    ['{"message":"  CUDA out of memory\\n"}', 'CUDA out of memory'],
    ['{"message":"first","Message":"second"}', 'first'],
    ['{"Message":"second","OriginalMessage":"third"}', 'second'],
    ['{"OriginalMessage":"third","error":{"message":"fourth"}}', 'third'],
    ['{"result":"error","error":{"message":"bad prompt"}}', 'bad prompt'],
    ['{"message":"  "}', '{"message":"  "}'],
    ['plain text reason', 'plain text reason'],
    ['{"unexpected":1}', '{"unexpected":1}'],
    ['{"message":42,"error":"boom"}', '{"message":42,"error":"boom"}'],
    ['{"error":null}', '{"error":null}'],
    ['null', 'null'],
    ['"a JSON string"', '"a JSON string"'],
    ['', ''],
  ])('reads %s as %s', (text, reason) => {
    expect(readableReason(text)).toBe(reason);
  });
});
