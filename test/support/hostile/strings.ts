import fc from 'fast-check';

/** Characters that break naive text handling, one group per way of breaking it. */
export const EDGE_CHARACTERS = [
  // C0 and C1 controls, DEL, NEL, no-break space
  ...['\u0000', '\u0001', '\u0007', '\b', '\u001b', '\u001f', '\u007f', '\u0085', '\u00a0'],
  // line breaks, including the two JavaScript source treats as line terminators
  ...['\t', '\n', '\r', '\r\n', '\u2028', '\u2029'],
  // zero-width characters and the byte order mark
  ...['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'],
  // bidirectional controls (RTL marks, overrides, isolates)
  ...['\u200e', '\u200f', '\u202a', '\u202b', '\u202d', '\u202e', '\u2066', '\u2067', '\u2069'],
  // combining marks
  ...['\u0301', '\u0336', '\u20dd', '\u0489'],
  // lone surrogates: not text at all, and not encodable as UTF-8
  ...['\ud800', '\udbff', '\udc00', '\udfff'],
  // replacement and non-characters, astral characters, long grapheme clusters, a wide ligature
  ...['\ufffd', '\uffff', '\ufffe', '\u{10ffff}', '\u{1f600}', '👩‍👩‍👧‍👦', '🏳️‍🌈', '\ufdfa', '\u{1242b}'],
  // characters that mean something to some interpreter
  ...['"', '\\', "'", '`', '<', '>', '&', '%', '%00', '../', '${x}', '{{x}}', '$where', '#', '?', '/', ';', '='],
];

/** Lone surrogates, DEL and C0 controls other than tab, line feed and carriage return: not acceptable in text fields. */
// eslint-disable-next-line no-control-regex -- control characters are the point
export const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\p{Cs}/u;
export const NOT_TEXT_CHARACTERS = [
  '\u0000',
  '\u0001',
  '\b',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u001f',
  '\u007f',
  '\ud800',
  '\udfff',
];

/** Text made of edge characters only. */
export function edgeText(maxLength = 24): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...EDGE_CHARACTERS), maxLength });
}

/** Strings a parser or a store might choke on: edge characters, any code point (surrogates too), huge and empty. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: edgeText() },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 32 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ...['', ' ', '\u3000', 'null', 'undefined', 'true', '0', '-1', 'NaN', 'Infinity', '[]', '{}'],
      ...['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'],
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', 'é', '😀', '\u0000', '\ud800', '\u202e'), fc.integer({ min: 1000, max: 3000 }))
      .map(([character, count]) => character.repeat(count)),
  },
  {
    // "zalgo": one letter under hundreds of combining marks
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '\u202e', '😀'), fc.integer({ min: 50, max: 500 }))
      .map(([base, count]) => `${base}${'\u0301'.repeat(count)}`),
  },
);

/** Percent-encodes every byte of the text's WTF-8 form (lone surrogates as their 3-byte forms, as a raw client may). */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const character of text) {
    const codePoint = character.codePointAt(0)!;
    const bytes =
      codePoint >= 0xd800 && codePoint <= 0xdfff
        ? [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)]
        : [...Buffer.from(character, 'utf8')];
    encoded += /^[A-Za-z0-9_.~-]$/.test(character)
      ? character
      : bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return encoded;
}

/** Percent-encoding gone wrong: stray `%`, bad hex, overlong and invalid UTF-8, encoded NUL and slashes. */
export const brokenEncoding: fc.Arbitrary<string> = fc.constantFrom(
  ...['%', '%%', '%zz', '%4', '%G0', '%C0%80', '%ED%A0%80', '%FF%FE', '%E2%82', '%00', '%2F', '%2e%2e', '%u0041'],
  ...['+', '&', '=', '&&', '==', '#', '[]', '[0]', ';', '%0D%0A', '%EF%BB%BF'],
);

/** Header values Node will send: tab, printable ASCII and Latin-1 (anything else it refuses to put on the wire). */
export function headerText(maxLength = 64): fc.Arbitrary<string> {
  const latin1 = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.constant(0x09) },
    { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  );
  return fc.string({ unit: latin1.map((code) => String.fromCharCode(code)), maxLength });
}
