const MAX_DELTA_SECONDS = 2 ** 31;

/**
 * The `wait` preference of a `Prefer` request header (RFC 7240 section 4.3): the seconds the client is willing to
 * wait for the final answer, or undefined when it states none. Preferences are comma-separated, each
 * `name[=value]` with optional `;parameters`; names are case-insensitive, and of a preference given twice only the
 * first counts (section 2). A malformed `wait` is ignored, as a server ignores any preference it cannot apply. A
 * value too large to hold is read as 2^31 (delta-seconds, RFC 9111 section 1.2.2): a huge wait is capped like any
 * other long one, never ignored.
 */
export function waitPreference(header: string | string[] | undefined): number | undefined {
  if (header === undefined) {
    return undefined;
  }
  const text = Array.isArray(header) ? header.join(',') : header;
  for (const preference of splitOutsideQuotes(text, ',')) {
    const [nameAndValue = ''] = splitOutsideQuotes(preference, ';');
    const equals = nameAndValue.indexOf('=');
    const name = (equals < 0 ? nameAndValue : nameAndValue.slice(0, equals)).trim().toLowerCase();
    if (name !== 'wait') {
      continue;
    }
    const value = equals < 0 ? '' : unquote(nameAndValue.slice(equals + 1).trim());
    return /^\d+$/.test(value) ? Math.min(Number(value), MAX_DELTA_SECONDS) : undefined;
  }
  return undefined;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (char === '\\' && quoted) {
      current += char + text.charAt(index + 1);
      index += 1;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
