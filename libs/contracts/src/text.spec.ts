import { describe, expect, it } from '@jest/globals';
import { characterCount, isPlainText } from './text.js';

describe('characterCount', () => {
  it('counts code points, so an emoji is one character', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('a cat')).toBe(5);
    expect('🐱'.length).toBe(2);
    expect(characterCount('🐱')).toBe(1);
    expect(characterCount('🐱'.repeat(1000))).toBe(1000);
    expect(characterCount('é')).toBe(1);
  });
});

describe('isPlainText', () => {
  it.each(['a cat', '', 'tab\tand\nlines\r\n', 'עברית \u200f mark', 'e\u0301', '🐱', '\u00a0\u2028', '\u0085'])(
    'takes %p',
    (text) => expect(isPlainText(text)).toBe(true),
  );

  it.each([
    '\u0000',
    'a\u0001b',
    '\b',
    '\u000b',
    '\u000c',
    '\u001b[31m',
    '\u001f',
    '\u007f',
    'a\ud800',
    '\udfff',
    '\udc00\ud800',
  ])('refuses %p', (text) => expect(isPlainText(text)).toBe(false));
});
