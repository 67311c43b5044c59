// Loaded with `node -r` when integ-runner synthesizes the integration tests: every `aws-cdk-lib` import
// (from the tests, from src/, and from @aws-cdk/integ-tests-alpha) resolves to `aws-cdk-lib-floor`, an
// alias of the peer-dependency floor (see .projenrc.ts). The committed integration snapshots are thus
// synthesized with the oldest aws-cdk-lib this library supports, which also proves that src/ runs on it,
// and their cloud assembly schema is one that integ-runner can read (`@aws-cdk/cloud-assembly-schema`
// resolves to `cloud-assembly-schema-floor`, the 53.x line the floor was released with).
const Module = require('module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'aws-cdk-lib' || request.startsWith('aws-cdk-lib/')) {
    return resolveFilename.call(this, `aws-cdk-lib-floor${request.slice('aws-cdk-lib'.length)}`, ...rest);
  }
  if (request === '@aws-cdk/cloud-assembly-schema' || request.startsWith('@aws-cdk/cloud-assembly-schema/')) {
    return resolveFilename.call(this, `cloud-assembly-schema-floor${request.slice('@aws-cdk/cloud-assembly-schema'.length)}`, ...rest);
  }
  return resolveFilename.call(this, request, ...rest);
};
