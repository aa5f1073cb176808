import { describe, expect, it } from '@jest/globals';
import { characterCount } from './text.js';

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
