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
