// Generator definitions read best on one line each.
/* eslint-disable @stylistic/max-len */
import { Duration, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as fc from 'fast-check';
import { checkCase, mostly, numberToken, OPS_ALARM_ACTION, optional, PROPERTY_RUNS, runProperty, stringToken } from './property';
import { AccountCloudWatchRole, ApiAuth, ApiCacheSize, ServerlessApi, TableAccess } from '../../src';
import { createTestFunction, createTestRole, createTestStack } from '../util';

const PROPS = ['stageName', 'throttle', 'cache', 'table', 'executionLogLevel', 'webAclArn', 'websiteWebAclArn', 'serverErrorRateThreshold',
  'latencyThreshold', 'backupPlan', 'website', 'websiteApiCachePolicy', 'websiteDomainNames', 'websiteCertificate', 'accessLogsBucket',
  'addRoute', 'addUsagePlan', 'grantInvoke', 'cacheKeyQueryStrings', 'cacheKeyHeaders', 'cachePerCaller'];

const REGIONAL_ACL = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const GLOBAL_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222';

/** Unset most of the time, so that each case varies a few props. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** Per-route values: a case has several routes, so each is invalid only seldom (1 in 40) or both outcomes would not occur. */
function seldom<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 39, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

const segment = seldom(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.constantFrom('', 'a b', 'x?y', '{id', '{proxy+}'));
const variable = seldom(fc.constant('{id}'), fc.constantFrom('{orderId}', '{proxy+}'));
const path = seldom(
  fc.array(fc.oneof({ weight: 3, arbitrary: segment }, { weight: 1, arbitrary: variable }), { minLength: 0, maxLength: 3 }).map((parts) => `/${parts.join('/')}`),
  fc.constantFrom('orders', '/orders/', '//x', '/{proxy+}/x'),
);
/** Route options that apply only in some cases (a table, a stage cache, a GET): set seldom. */
function seldomSet<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}
const route = fc.record({
  method: seldom(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'ANY', 'get'), fc.constantFrom('FETCH', '')),
  path,
  access: optional(fc.constantFrom(TableAccess.NONE, TableAccess.READ, TableAccess.READ_WRITE)),
  cache: seldomSet(fc.boolean()),
  cacheKeyQueryStrings: seldomSet(fc.array(seldom(fc.stringMatching(/^[a-z]{1,8}$/), fc.constantFrom('a b', '')), { maxLength: 2 })),
  cachePerCaller: seldomSet(fc.boolean()),
});
const throttleValue = (valid: fc.Arbitrary<number>, invalid: fc.Arbitrary<number>) => fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: invalid }, { weight: 1, arbitrary: numberToken });

const caseArb = fc.record({
  auth: fc.constantFrom('iam', 'apiKey', 'cognito', 'none', undefined),
  table: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  tableName: rarely(mostly(fc.stringMatching(/^[A-Za-z0-9_.-]{3,20}$/), fc.constantFrom('ab', 'my table'))),
  stageName: rarely(mostly(fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/), fc.constantFrom('prod-1', '', 'a b'))),
  throttle: rarely(fc.record({ rateLimit: optional(throttleValue(fc.double({ min: 0, max: 5000, noNaN: true }), fc.constantFrom(-1, Number.NaN))), burstLimit: optional(throttleValue(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(0, 1.5, -3))) }, { requiredKeys: [] })),
  cacheTtl: rarely(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 3600 }) }, { weight: 1, arbitrary: fc.constantFrom(3601, 7200) }, { weight: 1, arbitrary: numberToken })),
  cacheSize: rarely(mostly(fc.constantFrom(...Object.values(ApiCacheSize)), fc.constantFrom('2', '0.25') as unknown as fc.Arbitrary<ApiCacheSize>)),
  executionLogLevel: rarely(fc.constantFrom(apigateway.MethodLoggingLevel.ERROR, apigateway.MethodLoggingLevel.INFO, apigateway.MethodLoggingLevel.OFF)),
  webAclArn: rarely(mostly(fc.oneof(fc.constant(REGIONAL_ACL), stringToken), fc.constantFrom(GLOBAL_ACL, REGIONAL_ACL.replace('us-east-1', 'eu-west-1')))),
  website: optional(fc.boolean()),
  websiteWebAclArn: rarely(mostly(fc.constant(GLOBAL_ACL), fc.constant(REGIONAL_ACL))),
  serverErrorRateThreshold: rarely(mostly(fc.oneof(fc.double({ min: 0.001, max: 1, noNaN: true }), numberToken), fc.constantFrom(0, 2))),
  latencySeconds: rarely(mostly(fc.integer({ min: 1, max: 29 }), fc.constantFrom(0, 30))),
  accountCloudWatchRole: optional(fc.constantFrom(AccountCloudWatchRole.CREATE, AccountCloudWatchRole.EXISTING)),
  alarmActions: rarely(fc.constant(true)),
  routes: fc.array(route, { minLength: 1, maxLength: 3 }),
  usagePlan: rarely(fc.record({
    rateLimit: optional(mostly(fc.integer({ min: 0, max: 2000 }), fc.constant(-1))),
    quotaLimit: optional(fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(0, 2.5), numberToken)),
    offset: optional(fc.integer({ min: 0, max: 200 })),
  }, { requiredKeys: [] })),
  grantInvoke: rarely(fc.constant(true)),
}, { requiredKeys: ['routes'] });

describe('ServerlessApi properties', () => {
  test(`${PROPERTY_RUNS} generated prop sets and routes synthesize cleanly or fail with an error naming a prop`, () => {
    const tally = runProperty(caseArb, (c) => checkCase((stack) => {
      let auth: ApiAuth | undefined;
      if (c.auth === 'iam') {
        auth = ApiAuth.iam();
      } else if (c.auth === 'apiKey') {
        auth = ApiAuth.apiKey();
      } else if (c.auth === 'none') {
        auth = ApiAuth.none();
      } else if (c.auth === 'cognito') {
        const pool = new cognito.UserPool(stack, 'Users');
        // The user pool is the fixture's: its own compliance findings are not the construct's.
        Validations.of(pool).acknowledge(...['AwsSolutions-COG1', 'AwsSolutions-COG2', 'AwsSolutions-COG3', 'AwsSolutions-COG8'].map((id) => ({ id, reason: 'test fixture' })));
        auth = ApiAuth.cognito(pool);
      }
      const api = new ServerlessApi(stack, 'Orders', {
        auth,
        table: c.table ? { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, tableName: c.tableName } : undefined,
        stageName: c.stageName,
        throttle: c.throttle,
        cache: c.cacheTtl === undefined ? undefined : { ttl: Duration.seconds(c.cacheTtl), size: c.cacheSize },
        executionLogLevel: c.executionLogLevel,
        webAclArn: c.webAclArn,
        website: c.website,
        websiteWebAclArn: c.websiteWebAclArn,
        serverErrorRateThreshold: c.serverErrorRateThreshold,
        latencyThreshold: c.latencySeconds === undefined ? undefined : Duration.seconds(c.latencySeconds),
        accountCloudWatchRole: c.accountCloudWatchRole,
        alarmActions: c.alarmActions ? [OPS_ALARM_ACTION] : undefined,
      });
      c.routes.forEach((r, i) => {
        api.addRoute(r.method, r.path, createTestFunction(stack, `Fn${i}`), {
          access: r.access, cache: r.cache, cacheKeyQueryStrings: r.cacheKeyQueryStrings, cachePerCaller: r.cachePerCaller,
        });
      });
      if (c.usagePlan) {
        api.addUsagePlan('Partners', {
          throttle: c.usagePlan.rateLimit === undefined ? undefined : { rateLimit: c.usagePlan.rateLimit },
          quota: c.usagePlan.quotaLimit === undefined ? undefined : { limit: c.usagePlan.quotaLimit, offset: c.usagePlan.offset, period: apigateway.Period.MONTH },
        }).addApiKey('PartnerA');
      }
      if (c.grantInvoke) {
        api.grantInvoke(createTestRole(stack, 'Caller'));
      }
    }, () => createTestStack(), PROPS));
    // Both outcomes must occur, or the generator explores only one side.
    expect(tally.synthesized).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});
