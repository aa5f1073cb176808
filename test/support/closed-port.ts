import { freePort } from '#libs/local-stack';

/** A loopback URL nothing listens on: a dependency that is down. */
export async function unreachableUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}
