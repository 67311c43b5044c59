/**
 * Jest snapshot serializer that replaces asset hashes (64 hex characters, as in asset object keys and
 * bootstrap asset parameters) with a constant, so a snapshot changes only when the template changes and
 * not when a bundled file or the aws-cdk-lib version does. Modelled on cdk-monitoring-constructs.
 */
const ASSET_HASH = /[a-f0-9]{64}/g;
const REPLACEMENT = '[ASSET HASH]';

module.exports = {
  test: (val: unknown): boolean => typeof val === 'string' && /[a-f0-9]{64}/.test(val),
  serialize: (val: string): string => JSON.stringify(val.replace(ASSET_HASH, REPLACEMENT)),
};
