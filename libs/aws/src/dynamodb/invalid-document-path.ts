/** DynamoDB's answer to an update of a path inside a map that does not exist yet (the item's first entry). */
export function isInvalidDocumentPath(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException' && /document path/i.test(error.message);
}
