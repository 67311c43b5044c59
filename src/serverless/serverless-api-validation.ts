import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { ApiAuth, ApiAuthType } from './api-auth';
import { fail, secondsOf, validateName } from '../core/private/validation';

/**
 * Synth-time rules of ServerlessApi, each with the AWS limit behind it (docs/VALIDATION.md lists them all).
 * Values that are Tokens are never checked.
 */

/** HTTP methods a route may take (API Gateway `HttpMethod`; `ANY` matches every method). */
export const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'ANY'];

/**
 * Cache capacities API Gateway offers, in GB (`cacheClusterSize`).
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
 */
export const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

/**
 * Longest cache TTL API Gateway accepts (0 turns caching off).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
 */
export const MAX_CACHE_TTL = 3600;

/** A literal path part: what API Gateway (and aws-cdk-lib's resource check) accepts. */
const LITERAL_PART = /^[A-Za-z0-9:._$-]+$/;
/** A path variable `{name}` or a greedy `{name+}`: the name is also a request parameter name. */
const VARIABLE_PART = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/** One segment of a route path. */
export interface PathSegment {
  /** As written: `orders`, `{id}`, `{proxy+}`. */
  readonly part: string;
  /** The variable name, for `{name}` and `{name+}`. */
  readonly variable?: string;
  readonly greedy: boolean;
}

/**
 * Parses and checks a route path: a leading `/`, segments of letters, digits and `:._$-`, or `{name}`
 * variables (a greedy `{name+}` only last), no empty segment, no trailing `/` (except the root `/`).
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_CreateResource.html
 */
export function parseRoutePath(scope: IConstruct, path: string): PathSegment[] {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    fail(scope, `addRoute path must start with '/', such as /orders/{id}, but '${path}' was provided`);
  }
  if (path === '/') {
    return [];
  }
  const parts = path.slice(1).split('/');
  const names = new Set<string>();
  return parts.map((part, i) => {
    const variable = VARIABLE_PART.exec(part);
    if (variable) {
      if (variable[2] === '+' && i !== parts.length - 1) {
        fail(scope, `addRoute path may have a greedy {${variable[1]}+} variable only as its last segment, but '${path}' was provided`);
      }
      // Each variable is the request parameter method.request.path.<name>: one name, one value.
      if (names.has(variable[1])) {
        fail(scope, `addRoute path variables must have distinct names, but '${path}' has {${variable[1]}} twice`);
      }
      names.add(variable[1]);
      return { part, variable: variable[1], greedy: variable[2] === '+' };
    }
    if (!LITERAL_PART.test(part)) {
      fail(scope, `addRoute path segments must be letters, digits and :._$- or a {name} variable, with no empty segment or trailing '/', but '${path}' was provided`);
    }
    return { part, greedy: false };
  });
}

/** The route's method, upper-cased, if it is one API Gateway takes. */
export function validateMethod(scope: IConstruct, method: string): string {
  const upper = typeof method === 'string' ? method.toUpperCase() : String(method);
  if (!ROUTE_METHODS.includes(upper)) {
    fail(scope, `addRoute method must be one of ${ROUTE_METHODS.join(', ')}, but '${method}' was provided`);
  }
  return upper;
}

/** A stage throttle (requests per second and bucket size), as given. */
export interface ThrottleValues {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

/**
 * Rate 0 or more (a fraction is allowed: API Gateway takes a double), burst a whole number of at least 1
 * (a bucket that holds no request admits none).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export function validateThrottle(scope: IConstruct, prop: string, throttle: ThrottleValues | undefined): void {
  if (throttle === undefined) {
    return;
  }
  const rate = throttle.rateLimit;
  if (rate !== undefined && !Token.isUnresolved(rate) && !(Number.isFinite(rate) && rate >= 0)) {
    fail(scope, `${prop}.rateLimit must be 0 or more requests per second, but ${rate} was provided`);
  }
  const burst = throttle.burstLimit;
  if (burst !== undefined && !Token.isUnresolved(burst) && !(Number.isInteger(burst) && burst >= 1)) {
    fail(scope, `${prop}.burstLimit must be a whole number of at least 1, but ${burst} was provided`);
  }
}

/**
 * A usage plan's throttle may not exceed the stage's: API Gateway applies the lower of the two, so a higher
 * plan limit promises partners a rate they can never get.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export function validatePlanThrottle(scope: IConstruct, planId: string, plan: ThrottleValues | undefined, stage: Required<ThrottleValues>): void {
  validateThrottle(scope, `addUsagePlan('${planId}') throttle`, plan);
  for (const key of ['rateLimit', 'burstLimit'] as const) {
    const value = plan?.[key];
    const limit = stage[key];
    if (value !== undefined && !Token.isUnresolved(value) && !Token.isUnresolved(limit) && value > limit) {
      fail(scope, `addUsagePlan('${planId}') throttle.${key} must not exceed the stage's throttle.${key} (${limit}), but ${value} was provided`);
    }
  }
}

/** A usage plan quota. */
export interface QuotaValues {
  readonly limit: number;
  readonly period: apigateway.Period;
  readonly offset?: number;
}

/**
 * Quota: a whole number of requests of at least 1 per DAY, WEEK or MONTH; the offset (requests taken from
 * the first period) a whole number from 0 to below the limit.
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
 */
export function validateQuota(scope: IConstruct, planId: string, quota: QuotaValues | undefined): void {
  if (quota === undefined) {
    return;
  }
  const { limit, offset, period } = quota;
  if (!Token.isUnresolved(limit) && !(Number.isInteger(limit) && limit >= 1)) {
    fail(scope, `addUsagePlan('${planId}') quota.limit must be a whole number of requests of at least 1, but ${limit} was provided`);
  }
  const periods: string[] = [apigateway.Period.DAY, apigateway.Period.WEEK, apigateway.Period.MONTH];
  if (!Token.isUnresolved(period) && !periods.includes(period)) {
    fail(scope, `addUsagePlan('${planId}') quota.period must be DAY, WEEK or MONTH, but '${period}' was provided`);
  }
  if (offset !== undefined && !Token.isUnresolved(offset) && !Token.isUnresolved(limit)
    && !(Number.isInteger(offset) && offset >= 0 && offset < limit)) {
    fail(scope, `addUsagePlan('${planId}') quota.offset must be a whole number from 0 to less than quota.limit (${limit}), but ${offset} was provided`);
  }
}

/** Cache TTL 0-3600 s and a documented size; returns the TTL in seconds (undefined for a Token). */
export function validateCache(scope: IConstruct, ttlSeconds: number | undefined, size: string | undefined): void {
  if (ttlSeconds !== undefined && (ttlSeconds < 0 || ttlSeconds > MAX_CACHE_TTL || !Number.isInteger(ttlSeconds))) {
    fail(scope, `cache.ttl must be a whole number of seconds from 0 to ${MAX_CACHE_TTL}, but ${ttlSeconds} was provided`);
  }
  if (size !== undefined && !Token.isUnresolved(size) && !CACHE_SIZES.includes(size)) {
    fail(scope, `cache.size must be one of ${CACHE_SIZES.join(', ')} GB, but '${size}' was provided`);
  }
}

/**
 * A stage name: letters, digits and underscores, at most 128 characters.
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
 */
export function validateStageName(scope: IConstruct, stageName: string | undefined): void {
  validateName(scope, 'stageName', stageName, 128, /^[A-Za-z0-9_]+$/, 'letters, digits and underscores');
}

/**
 * A DynamoDB table name: 3-255 characters of letters, digits, `_`, `-` and `.`.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
export function validateTableName(scope: IConstruct, tableName: string | undefined): void {
  if (tableName === undefined || Token.isUnresolved(tableName)) {
    return;
  }
  if (tableName.length < 3 || tableName.length > 255 || !/^[A-Za-z0-9_.-]+$/.test(tableName)) {
    fail(scope, `table.tableName must be 3 to 255 letters, digits, '_', '-' or '.', but '${tableName}' was provided`);
  }
}

/**
 * A WAFv2 web ACL ARN of the given scope: `regional` (API Gateway stages, in the stack's region) or
 * `global` (CloudFront, always in us-east-1).
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html
 */
export function validateWebAclArn(scope: IConstruct, prop: string, arn: string | undefined, webAclScope: 'regional' | 'global', stackRegion: string): void {
  if (arn === undefined || Token.isUnresolved(arn)) {
    return;
  }
  const match = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):\d{12}:(regional|global)\/webacl\/[^/]+\/[^/]+$/.exec(arn);
  if (!match || match[2] !== webAclScope) {
    const what = webAclScope === 'regional' ? 'a REGIONAL web ACL' : 'a CLOUDFRONT web ACL (arn:aws:wafv2:us-east-1:...:global/webacl/...)';
    fail(scope, `${prop} must be the ARN of ${what}, but '${arn}' was provided`);
  }
  const region = match[1];
  if (webAclScope === 'global' && region !== 'us-east-1') {
    fail(scope, `${prop} must be a web ACL in us-east-1 (CloudFront web ACLs live there), but '${arn}' was provided`);
  }
  if (webAclScope === 'regional' && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
    fail(scope, `${prop} must be a web ACL in the stack's region ${stackRegion} (a regional web ACL protects resources of its own region), but '${arn}' was provided`);
  }
}

/**
 * Threshold of the 5XX alarm: a share of requests between 0 and 1 (exclusive of 0).
 */
export function validateErrorRate(scope: IConstruct, rate: number | undefined): void {
  if (rate !== undefined && !Token.isUnresolved(rate) && !(rate > 0 && rate <= 1)) {
    fail(scope, `serverErrorRateThreshold must be a share of requests above 0 and at most 1 (0.05 is 5 %), but ${rate} was provided`);
  }
}

/** Seconds of the latency alarm threshold, within API Gateway's 29 s integration timeout. */
export function validateLatency(scope: IConstruct, latency: Duration | undefined): void {
  if (latency === undefined || latency.isUnresolved()) {
    return;
  }
  const ms = latency.toMilliseconds();
  if (!(ms > 0 && ms <= 29_000)) {
    fail(scope, `latencyThreshold must be more than 0 and at most 29 seconds (API Gateway's integration timeout), but ${ms} ms was provided`);
  }
}

/** Header and query-string names used as cache keys. */
export function validateCacheKeyNames(scope: IConstruct, prop: string, names: string[] | undefined): void {
  for (const name of names ?? []) {
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      fail(scope, `${prop} must hold header or query string names (letters, digits and !#$%&'*+.^_\`|~-), but '${name}' was provided`);
    }
  }
}


/** The ServerlessApi props these rules read (ServerlessApiProps satisfies it). */
export interface CheckedProps {
  readonly stageName?: string;
  readonly throttle?: ThrottleValues;
  readonly cache?: { readonly ttl: Duration; readonly size?: string };
  readonly table?: { readonly tableName?: string };
  readonly executionLogLevel?: apigateway.MethodLoggingLevel;
  readonly webAclArn?: string;
  readonly websiteWebAclArn?: string;
  readonly serverErrorRateThreshold?: number;
  readonly latencyThreshold?: Duration;
  readonly backupPlan?: unknown;
  readonly website?: boolean;
  readonly websiteApiCachePolicy?: unknown;
  readonly websiteDomainNames?: string[];
  readonly websiteCertificate?: { readonly certificateArn: string };
  readonly accessLogsBucket?: unknown;
}

/** Every prop rule of ServerlessApi (each documented in docs/VALIDATION.md). */
export function validateServerlessApiProps(scope: IConstruct, props: CheckedProps, auth: ApiAuth): void {
  validateStageName(scope, props.stageName);
  validateThrottle(scope, 'throttle', props.throttle);
  if (props.cache) {
    validateCache(scope, secondsOf(props.cache.ttl), props.cache.size);
    if (secondsOf(props.cache.ttl) === 0) {
      Annotations.of(scope).addWarningV2('cdk-reference-patterns:apiCacheTtlZero',
        `${scope.node.path}: cache.ttl 0 caches nothing, but the cache cluster is billed by the hour: remove cache instead`);
    }
  }
  validateTableName(scope, props.table?.tableName);
  const level = props.executionLogLevel;
  if (level !== undefined && level !== apigateway.MethodLoggingLevel.ERROR && level !== apigateway.MethodLoggingLevel.INFO) {
    fail(scope, `executionLogLevel must be ERROR or INFO (execution logs show why requests fail), but ${level} was provided`);
  }
  const region = Stack.of(scope).region;
  validateWebAclArn(scope, 'webAclArn', props.webAclArn, 'regional', region);
  validateWebAclArn(scope, 'websiteWebAclArn', props.websiteWebAclArn, 'global', region);
  validateErrorRate(scope, props.serverErrorRateThreshold);
  validateLatency(scope, props.latencyThreshold);
  if (props.backupPlan !== undefined && props.table === undefined) {
    fail(scope, 'backupPlan applies to the table, but no table was provided');
  }
  if (auth.type === ApiAuthType.COGNITO && !auth.userPool) {
    fail(scope, 'auth ApiAuth.cognito needs a user pool, but none was provided');
  }
  if (!props.website) {
    for (const [prop, value] of [['websiteApiCachePolicy', props.websiteApiCachePolicy], ['websiteDomainNames', props.websiteDomainNames],
      ['websiteCertificate', props.websiteCertificate], ['websiteWebAclArn', props.websiteWebAclArn], ['accessLogsBucket', props.accessLogsBucket]] as const) {
      if (value !== undefined) {
        fail(scope, `${prop} applies only with website true, but website is false`);
      }
    }
  }
  if (props.website && auth.type === ApiAuthType.IAM && props.websiteApiCachePolicy !== undefined) {
    fail(scope, 'websiteApiCachePolicy applies when the distribution serves the API, which it does not with ApiAuth.iam() (a SigV4 signature covers the Host header, so the page calls the API\'s own endpoint)');
  }
  if ((props.websiteDomainNames !== undefined) !== (props.websiteCertificate !== undefined)) {
    fail(scope, 'websiteDomainNames and websiteCertificate go together (CloudFront serves a custom domain only with its certificate), but only one was provided');
  }
  const certificateArn = props.websiteCertificate?.certificateArn;
  if (certificateArn !== undefined && !Token.isUnresolved(certificateArn) && !/^arn:aws[a-z-]*:acm:us-east-1:/.test(certificateArn)) {
    fail(scope, `websiteCertificate must be an ACM certificate in us-east-1 (CloudFront uses certificates from there only), but '${certificateArn}' was provided`);
  }
}