/**
 * The one way prompt lengths are counted, by the api's request check and by the model catalog alike:
 * Unicode code points, so an emoji counts as one character (not as the two UTF-16 units of `string.length`).
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) {
    count++;
  }
  return count;
}

/**
 * What no text field takes: C0 control characters other than tab, line feed and carriage return, DEL, and lone
 * surrogates (half of a UTF-16 pair: not a character, and not encodable as UTF-8, so the model would see U+FFFD).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\p{Cs}/u;

/** Whether `text` is text a model may be given: no stray control characters, no lone surrogates. */
export function isPlainText(text: string): boolean {
  return !NOT_TEXT.test(text);
}
