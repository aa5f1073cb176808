// jsdom for the dashboard's component tests, plus the WHATWG fetch classes jsdom lacks (openapi-fetch builds
// Request objects; the tests answer them with Response objects).
const { TestEnvironment } = require('jest-environment-jsdom');

const { fetch, Request, Response, Headers, FormData, ReadableStream, TextEncoder, TextDecoder, structuredClone } =
  globalThis;

class JsdomWithFetch extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.assign(this.global, {
      fetch,
      Request,
      Response,
      Headers,
      FormData,
      ReadableStream,
      TextEncoder,
      TextDecoder,
      structuredClone,
    });
    // jsdom implements no scrolling; the router scrolls to the top after navigating
    this.global.scrollTo = () => undefined;
  }
}

module.exports = JsdomWithFetch;
