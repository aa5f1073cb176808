/**
 * JSON text built by hand, so a generated body can say what JSON.stringify cannot: duplicate keys, keys such as
 * `__proto__` at any level, and number literals like `1e999` that JSON.parse turns into Infinity.
 */

/** An object as an ordered list of members; a key may repeat (JSON.parse keeps the last). */
export class JsonObjectText {
  constructor(readonly members: ReadonlyArray<readonly [string, JsonValueText]>) {}
}

/** Text written into the JSON as it is (a number literal, or deliberately broken JSON). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonValueText = string | number | boolean | null | JsonValueText[] | JsonObjectText | RawJson;

export function toJsonText(value: JsonValueText): string {
  if (value instanceof RawJson) {
    return value.text;
  }
  if (value instanceof JsonObjectText) {
    return `{${value.members.map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`).join(',')}}`;
  }
  if (Array.isArray(value)) {
    return `[${value.map(toJsonText).join(',')}]`;
  }
  // NaN and ±Infinity become null, as JSON.stringify writes them; lone surrogates become \ud800 escapes
  return JSON.stringify(value);
}

/** A short description of a generated value for the report of a failing case (not the whole megabyte). */
export function preview(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
