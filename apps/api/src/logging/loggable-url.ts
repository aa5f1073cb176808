/** Query parameters whose values are credentials when a careless client puts them in a URL. */
const SECRET_PARAMETER = /token|key|secret|signature|password|credential|auth|session/i;

/**
 * The request URL as logged: the path and the query, with the value of any parameter that looks like a credential
 * (`access_token`, `api_key`, `X-Amz-Signature`, ...) replaced, so a token sent in a query string never reaches a log.
 */
export function loggableUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) {
    return url;
  }
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0]!;
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is logged as sent
      }
      return SECRET_PARAMETER.test(decoded) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, queryAt)}?${query}`;
}
