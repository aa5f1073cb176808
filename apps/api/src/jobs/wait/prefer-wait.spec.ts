import { describe, expect, it } from '@jest/globals';
import { waitPreference } from './prefer-wait.js';

describe('waitPreference', () => {
  it.each<[string | string[] | undefined, number | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['wait=10', 10],
    ['wait=0', 0],
    ['WAIT = 7', 7],
    ['wait="12"', 12],
    ['respond-async, wait=5', 5],
    ['return=minimal; foo="a,b", wait=3', 3],
    ['handling=lenient,wait=4;x=1', 4],
    [['return=minimal', 'wait=9'], 9],
    ['wait=5, wait=30', 5],
    ['respond-async', undefined],
    ['waiting=5', undefined],
    ['wait', undefined],
    ['wait=', undefined],
    ['wait=-1', undefined],
    ['wait=1.5', undefined],
    ['wait=abc', undefined],
    ['wait=99999', 99999],
    ['wait=1234567890', 1234567890],
    ['wait=' + '9'.repeat(40), 2 ** 31],
    ['foo="wait=5"', undefined],
  ])('reads %j as %j', (header, seconds) => {
    expect(waitPreference(header)).toBe(seconds);
  });
});
