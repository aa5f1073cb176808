import { jest } from '@jest/globals';

type AnyFunction = (...args: never[]) => unknown;

export type AutoMocked<T> = {
  [K in keyof T]: T[K] extends AnyFunction ? jest.Mock<T[K]> : T[K];
};

/**
 * A strict mock of a class: every method is a jest.fn that throws until the test gives it an
 * implementation, so code calling something the test did not expect fails loudly.
 */
export function automock<T extends object>(type: abstract new (...args: never[]) => T): AutoMocked<T> {
  const mock: Record<string, unknown> = {};
  let prototype: object | null = type.prototype as object;
  while (prototype && prototype !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || name in mock || typeof descriptor?.value !== 'function') {
        continue;
      }
      mock[name] = jest.fn(() => {
        throw new Error(`${type.name}.${name}() was called without a mock implementation`);
      });
    }
    prototype = Object.getPrototypeOf(prototype) as object | null;
  }
  return mock as AutoMocked<T>;
}
