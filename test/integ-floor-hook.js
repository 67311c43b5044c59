// Loaded with `node -r` when integ-runner synthesizes the integration tests: every `aws-cdk-lib` import
// (from the tests, from src/, and from @aws-cdk/integ-tests-alpha) resolves to `aws-cdk-lib-floor`, an
// alias of the peer-dependency floor (see .projenrc.ts). The committed integration snapshots are thus
// synthesized with the oldest aws-cdk-lib this library supports, which also proves that src/ runs on it,
// and their cloud assembly schema is one that integ-runner can read.
const Module = require('module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'aws-cdk-lib' || request.startsWith('aws-cdk-lib/')) {
    return resolveFilename.call(this, `aws-cdk-lib-floor${request.slice('aws-cdk-lib'.length)}`, ...rest);
  }
  return resolveFilename.call(this, request, ...rest);
};
