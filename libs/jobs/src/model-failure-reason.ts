/**
 * What a failed model said, as one line a job's `error.message` can carry. Failure files and real-time ModelError
 * answers hold whatever the container answered: often JSON with a message, sometimes plain text.
 */
export function readableReason(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text; // not JSON: the text is the reason
  }
  const body = parsed as {
    message?: unknown;
    Message?: unknown;
    OriginalMessage?: unknown;
    error?: { message?: unknown } | null;
  } | null;
  const message = body?.message ?? body?.Message ?? body?.OriginalMessage ?? body?.error?.message;
  return typeof message === 'string' && message.trim() ? message.trim() : text;
}
