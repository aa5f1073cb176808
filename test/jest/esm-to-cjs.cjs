// Jest (before Node 24.9) cannot require() an ES module from CommonJS. @fastify/static, which serves the Swagger UI,
// is CommonJS and requires content-disposition 3, an ES module: this transform rewrites such files to CommonJS.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { format: 'cjs', loader: 'js', sourcefile: filename, sourcemap: true });
    return { code, map };
  },
};
