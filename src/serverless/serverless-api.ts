import { Annotations, Duration, Lazy, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiAuth, ApiAuthType } from './api-auth';
import { ApiThrottle, ApiUsagePlan, ApiUsagePlanOptions } from './api-usage-plan';
import { accountCloudWatchLogging, nagArn } from './private/account-logging';
import { websiteBucket, websiteDistribution } from './private/website';
import {
  parseRoutePath, PathSegment, validateCacheKeyNames, validateMethod, validatePlanThrottle, validateQuota, validateServerlessApiProps,
} from './serverless-api-validation';
import { ManagedPolicyRole } from '../core/managed-policy-role';
import { IMonitoredPattern } from '../core/monitoring';
import { acknowledgeRules, inPacks } from '../core/private/acknowledge';
import { wireAlarmActions } from '../core/private/alarms';
import { Flow, flowName, flowRef } from '../core/private/flow';
import { logGroup } from '../core/private/log-groups';
import { watchResourceBudget } from '../core/private/resource-budget';
import { fail, secondsOf } from '../core/private/validation';

/**
 * Default stage throttle: a tenth of the default account quota per region (10,000 requests per second,
 * 5,000 burst), so one API cannot use up the account's quota and a runaway client is throttled first.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
const DEFAULT_THROTTLE = { rateLimit: 1000, burstLimit: 500 };

/**
 * DynamoDB actions of each TableAccess: reads (GetItem, Query, BatchGetItem, Scan) and, for READ_WRITE,
 * the writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem). Nothing else: no table management, no streams.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
 */
const READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const WRITE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
/**
 * With a customer managed key, DynamoDB uses the key on the caller's behalf: readers need kms:Decrypt;
 * writers also encrypt (the actions aws-cdk-lib's table grants give, without their wildcards).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
 */
const KMS_READ = ['kms:Decrypt'];
const KMS_WRITE = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/** The distribution path under which the API is served with `website`. */
const API_PREFIX = 'api';

/** What a route's function may do with the table. */
export enum TableAccess {
  /** No access, and no table name in the environment. */
  NONE = 'NONE',
  /** dynamodb:GetItem, Query, BatchGetItem, Scan. */
  READ = 'READ',
  /** READ plus dynamodb:PutItem, UpdateItem, DeleteItem, BatchWriteItem. */
  READ_WRITE = 'READ_WRITE',
}

/**
 * Who sets the region's API Gateway CloudWatch Logs role (an account setting that execution logging needs).
 */
export enum AccountCloudWatchRole {
  /**
   * The stack creates a role and sets it as the account's API Gateway CloudWatch Logs role in this region
   * (once per stack). Both are retained when the stack is deleted, because every REST API of the region
   * logs through that one setting. Replaces a role set before (by the console or another stack).
   */
  CREATE = 'CREATE',
  /**
   * The account already has the role set in this region (by a platform stack, a landing zone or the
   * console): nothing is created. Deploying without it fails with "CloudWatch Logs role ARN must be set
   * in account settings to enable logging".
   */
  EXISTING = 'EXISTING',
}

/** Cache capacities API Gateway offers. */
export enum ApiCacheSize {
  /** 0.5 GB */
  GB_0_5 = '0.5',
  /** 1.6 GB */
  GB_1_6 = '1.6',
  /** 6.1 GB */
  GB_6_1 = '6.1',
  /** 13.5 GB */
  GB_13_5 = '13.5',
  /** 28.4 GB */
  GB_28_4 = '28.4',
  /** 58.2 GB */
  GB_58_2 = '58.2',
  /** 118 GB */
  GB_118 = '118',
  /** 237 GB */
  GB_237 = '237',
}

/** The stage cache. It is billed by the hour for its size, whether requests hit it or not. */
export interface ApiCacheOptions {
  /** How long GET responses are cached: 0-3600 seconds (0 caches nothing). */
  readonly ttl: Duration;

  /**
   * The cache capacity.
   *
   * @default ApiCacheSize.GB_0_5
   */
  readonly size?: ApiCacheSize;
}

/** The DynamoDB table created for the route functions. */
export interface ServerlessTableOptions {
  /** The partition key. */
  readonly partitionKey: dynamodb.Attribute;

  /**
   * The sort key.
   *
   * @default - none
   */
  readonly sortKey?: dynamodb.Attribute;

  /**
   * A physical name (3-255 characters `[A-Za-z0-9_.-]`). A named table cannot be replaced by an update.
   *
   * @default - generated by CloudFormation
   */
  readonly tableName?: string;

  /**
   * The attribute holding each item's expiry time (epoch seconds), for DynamoDB time to live.
   *
   * @default - no time to live
   */
  readonly timeToLiveAttribute?: string;

  /**
   * What happens to the table when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether deletion protection is on (DeleteTable fails until it is turned off).
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** Options for `ServerlessApi.addRoute`. */
export interface RouteOptions {
  /**
   * What the route's function may do with the table; with READ or READ_WRITE the function also gets the
   * table name in its `TABLE_NAME` environment variable.
   *
   * @default TableAccess.NONE
   */
  readonly access?: TableAccess;

  /**
   * Whether the stage cache serves this route (GET routes only; the stage needs `cache`).
   *
   * @default - true for GET routes when the stage has a cache
   */
  readonly cache?: boolean;

  /**
   * Query strings that are part of the cache key (path variables always are). Responses to requests that
   * differ only in other query strings share a cache entry.
   *
   * @default - none
   */
  readonly cacheKeyQueryStrings?: string[];

  /**
   * Headers that are part of the cache key.
   *
   * @default - none (besides the caller's credential header, see `cachePerCaller`)
   */
  readonly cacheKeyHeaders?: string[];

  /**
   * Whether the caller's credential header (`Authorization` with Cognito, `x-api-key` with API keys) is part
   * of the cache key, so that a cached response is served only to the caller it was made for. Turn off only
   * for responses that are the same for every caller. Not available with IAM (signatures change with every
   * request) or without authentication.
   *
   * @default - true with Cognito and API keys
   */
  readonly cachePerCaller?: boolean;

  /**
   * A JSON schema the request body must match (API Gateway rejects other bodies with 400).
   *
   * @default - the body is not validated
   */
  readonly requestSchema?: apigateway.JsonSchema;
}

/**
 * Properties for a ServerlessApi.
 */
export interface ServerlessApiProps {
  /**
   * The DynamoDB table for the route functions: on-demand, point-in-time recovery, encrypted (with
   * `encryptionKey` when given), deletion protection, retained on stack deletion.
   *
   * @default - no table; every route must use TableAccess.NONE
   */
  readonly table?: ServerlessTableOptions;

  /**
   * How callers authenticate.
   *
   * @default ApiAuth.iam()
   */
  readonly auth?: ApiAuth;

  /**
   * The stage name (letters, digits, underscores; at most 128).
   *
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * The REST API's name.
   *
   * @default - a name unique to the construct path
   */
  readonly apiName?: string;

  /**
   * Stage throttle for every method.
   *
   * @default - 1000 requests per second, burst 500 (a tenth of the default account quota)
   */
  readonly throttle?: ApiThrottle;

  /**
   * The stage cache for GET routes (encrypted). Billed by the hour for its size.
   *
   * @default - no cache
   */
  readonly cache?: ApiCacheOptions;

  /**
   * Execution log level: ERROR or INFO (OFF is refused: it hides the errors the alarms point to).
   *
   * @default apigateway.MethodLoggingLevel.ERROR
   */
  readonly executionLogLevel?: apigateway.MethodLoggingLevel;

  /**
   * Whether execution logs contain full requests and responses (headers and bodies, credentials included).
   * For debugging only: synthesis warns.
   *
   * @default false
   */
  readonly logFullRequestsAndResponses?: boolean;

  /**
   * How long execution and access logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A customer managed KMS key for the table and the execution and access log groups (the key policy gets
   * the CloudWatch Logs statement it needs when the key is defined in this app).
   *
   * @default - the AWS-managed DynamoDB key and CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * An AWS Backup plan to add the table to.
   *
   * @default - none (point-in-time recovery keeps 35 days of continuous backups)
   */
  readonly backupPlan?: backup.IBackupPlan;

  /**
   * Who sets the region's API Gateway CloudWatch Logs role, which execution logging needs.
   *
   * @default AccountCloudWatchRole.CREATE, with a synth warning saying it replaces any role set before
   */
  readonly accountCloudWatchRole?: AccountCloudWatchRole;

  /**
   * A regional WAFv2 web ACL (its ARN) to associate with the API stage.
   *
   * @default - none
   */
  readonly webAclArn?: string;

  /**
   * Serve a static site: a private S3 bucket behind a CloudFront distribution (origin access control, HTTPS
   * only, security headers, `index.html` as default root object, access logs). With Cognito, API keys or
   * no authentication, the API is served by the same distribution under `/api/*` (no CORS needed; CloudFront
   * caches nothing there unless `websiteApiCachePolicy` says so). With IAM, whose signatures cover the Host
   * header, the page calls the API's own endpoint: CORS admits the distribution's origin only.
   *
   * @default false
   */
  readonly website?: boolean;

  /**
   * The CloudFront cache policy of the `/api/*` behaviour. With Cognito it must hold `Authorization` in its
   * key, or CloudFront drops the header (it forwards Authorization only through the cache key).
   *
   * @default - nothing cached: CachingDisabled, or with Cognito a policy that forwards `Authorization` as
   * part of the key with TTLs 0/0/1 s (CloudFront forwards that header only through the cache key)
   */
  readonly websiteApiCachePolicy?: cloudfront.ICachePolicy;

  /**
   * Custom domain names of the distribution (with `websiteCertificate`).
   *
   * @default - the distribution's cloudfront.net domain
   */
  readonly websiteDomainNames?: string[];

  /**
   * An ACM certificate in us-east-1 for `websiteDomainNames`; viewers then need TLS 1.2 or later.
   *
   * @default - the cloudfront.net certificate
   */
  readonly websiteCertificate?: acm.ICertificate;

  /**
   * A CLOUDFRONT-scope WAFv2 web ACL (its ARN, in us-east-1) for the distribution.
   *
   * @default - none
   */
  readonly websiteWebAclArn?: string;

  /**
   * Where the website bucket's S3 access logs (`s3/`) and the distribution's logs (`cloudfront/`) go.
   * It must be in this stack's account and Region (S3 server access logging delivers nowhere else), and
   * CloudFront standard logs need ACLs enabled on it (object ownership BucketOwnerPreferred).
   *
   * @default - a new bucket: SSE-S3, versioned, private, TLS only, ACLs for CloudFront log delivery, logs kept 90 days
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Whether to create the alarms.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Actions for every alarm, for the ALARM and OK states. More can be added with `addAlarmAction`.
   *
   * @default - none: the alarms change state and show in the console only
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * Share of requests answered with 5XX over 5 minutes at which the server-error alarm fires.
   *
   * @default 0.05
   */
  readonly serverErrorRateThreshold?: number;

  /**
   * p99 latency over 5 minutes at which the latency alarm fires (at most 29 s).
   *
   * @default Duration.seconds(2)
   */
  readonly latencyThreshold?: Duration;
}

/** A route as added. */
interface Route {
  readonly method: string;
  /** The API Gateway resource path (with `/api` in front with a routed website). */
  readonly resourcePath: string;
  readonly cached: boolean;
  readonly methodResource: apigateway.Method;
}

/**
 * The notes' serverless architecture: a REST API in API Gateway (regional, one stage) that authenticates,
 * throttles, caches and logs requests and invokes Lambda functions that read and write a DynamoDB table;
 * optionally a static site in S3 behind CloudFront, which also serves the API under `/api/*`.
 *
 * Compared with AWS Solutions Constructs' aws-apigateway-lambda and aws-apigateway-dynamodb it creates a
 * regional endpoint (they default to edge-optimized), throttles the stage, validates requests, alarms,
 * grants each function only its route's table access, and never takes over the account's CloudWatch Logs
 * role silently; compared with aws-cloudfront-s3 it keeps the API and the site on one distribution.
 */
export class ServerlessApi extends Construct implements IMonitoredPattern {
  /** The environment variable that carries the table name to each route function with table access. */
  public static readonly TABLE_NAME_VARIABLE = 'TABLE_NAME';

  /** The environment variable that carries the site's origin to route functions (IAM with `website`, for CORS). */
  public static readonly ALLOWED_ORIGIN_VARIABLE = 'ALLOWED_ORIGIN';

  /** The REST API. */
  public readonly api: apigateway.RestApi;

  /** The stage. */
  public readonly stage: apigateway.Stage;

  /** The table, when `table` was given. */
  public readonly table?: dynamodb.Table;

  /** The distribution, with `website`. */
  public readonly distribution?: cloudfront.Distribution;

  /** The bucket for the static site, with `website`. */
  public readonly websiteBucket?: s3.Bucket;

  /** The access log group of the stage. */
  public readonly accessLogGroup: logs.LogGroup;

  /** The execution log group of the stage (`API-Gateway-Execution-Logs_<api id>/<stage>`). */
  public readonly executionLogGroup: logs.LogGroup;

  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  /** The authentication mode. */
  public readonly auth: ApiAuth;

  private readonly props: ServerlessApiProps;
  private readonly throttle: Required<ApiThrottle>;
  private readonly cacheTtlSeconds?: number;
  private readonly encryptionKey?: kms.IKey;
  private readonly routesRoot: apigateway.IResource;
  private readonly apiThroughWebsite: boolean;
  private readonly requestValidator: apigateway.RequestValidator;
  private readonly authorizer?: apigateway.IAuthorizer;
  private readonly routes: Route[] = [];
  private readonly variableAt = new Map<string, string>();
  private readonly invokeStatements: Array<{ statement: iam.PolicyStatement; grantee: iam.IGrantable }> = [];
  private readonly alarmedFunctions = new Set<string>();
  private readonly alarmActions: cloudwatch.IAlarmAction[] = [];
  private readonly alarmsOn: boolean;
  private readonly allowedOrigin?: string;

  constructor(scope: Construct, id: string, props: ServerlessApiProps = {}) {
    super(scope, id);
    watchResourceBudget(this);
    this.props = props;
    this.auth = props.auth ?? ApiAuth.iam();
    validateServerlessApiProps(this, props, this.auth);
    this.throttle = { ...DEFAULT_THROTTLE, ...definedOnly(props.throttle) };
    this.cacheTtlSeconds = props.cache ? secondsOf(props.cache.ttl) : undefined;
    this.encryptionKey = props.encryptionKey;
    this.alarmsOn = props.alarms ?? true;
    const stageName = props.stageName ?? 'prod';
    const website = props.website ?? false;
    this.apiThroughWebsite = website && this.auth.type !== ApiAuthType.IAM;

    if (props.table) {
      this.table = this.createTable(props.table);
    }

    // IAM + website: the page calls the API's own endpoint, so the distribution (without an API behaviour)
    // comes first and CORS admits its origin.
    const websiteOptions = {
      accessLogsBucket: props.accessLogsBucket,
      domainNames: props.websiteDomainNames,
      certificate: props.websiteCertificate,
      webAclArn: props.websiteWebAclArn,
      apiCachePolicy: props.websiteApiCachePolicy,
      authorizationHeader: this.auth.type === ApiAuthType.COGNITO,
    };
    if (website) {
      this.websiteBucket = websiteBucket(this, props.accessLogsBucket);
      if (!this.apiThroughWebsite) {
        this.distribution = websiteDistribution(this, this.websiteBucket, websiteOptions);
        this.allowedOrigin = `https://${this.distribution.distributionDomainName}`;
      }
    }

    this.accessLogGroup = logGroup(this, 'AccessLogs', { retention: props.logRetention, encryptionKey: this.encryptionKey, removalPolicy: RemovalPolicy.RETAIN });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: props.apiName ?? Names.uniqueResourceName(this, { maxLength: 255, separator: '-' }),
      description: `REST API of ${this.node.path}`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account-level role is this construct's choice (accountCloudWatchRole), never aws-cdk-lib's per-API role.
      cloudWatchRole: false,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: accessLogFormat(),
        cacheClusterEnabled: props.cache ? true : undefined,
        cacheClusterSize: props.cache ? props.cache.size ?? ApiCacheSize.GB_0_5 : undefined,
      },
      defaultCorsPreflightOptions: this.allowedOrigin ? {
        allowOrigins: [this.allowedOrigin],
        allowMethods: apigateway.Cors.ALL_METHODS,
        allowHeaders: apigateway.Cors.DEFAULT_HEADERS,
        maxAge: Duration.hours(1),
      } : undefined,
    });
    this.stage = this.api.deploymentStage;
    const cfnStage = this.stage.node.defaultChild as apigateway.CfnStage;
    // Method settings follow the routes added later: the stage-wide `/*/*` settings, and per-route overrides.
    cfnStage.methodSettings = Lazy.any({ produce: () => this.methodSettings() });
    this.requestValidator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    if (this.auth.type === ApiAuthType.COGNITO) {
      this.authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [this.auth.userPool!] });
    }
    this.routesRoot = this.apiThroughWebsite ? this.api.root.addResource(API_PREFIX) : this.api.root;
    if (this.allowedOrigin) {
      // Errors answered by API Gateway itself (403 on a bad signature, 429 throttled) must carry the CORS
      // header too, or the page cannot read them.
      for (const type of [apigateway.ResponseType.DEFAULT_4XX, apigateway.ResponseType.DEFAULT_5XX]) {
        this.api.addGatewayResponse(`Cors${type.responseType}`, { type, responseHeaders: { 'Access-Control-Allow-Origin': `'${this.allowedOrigin}'` } });
      }
    }

    this.executionLogGroup = this.createExecutionLogs(stageName);
    this.setUpAccountRole();
    if (props.webAclArn !== undefined) {
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.stage.stageArn, webAclArn: props.webAclArn });
    }
    if (props.backupPlan && this.table) {
      this.addToBackupPlan(props.backupPlan, this.table);
    }
    if (website && this.apiThroughWebsite) {
      this.distribution = websiteDistribution(this, this.websiteBucket!, { ...websiteOptions, api: this.api, apiPathPattern: `/${API_PREFIX}/*` });
    }

    this.acknowledgeStage(cfnStage);
    this.describeFlow(id, stageName);
    if (this.auth.type === ApiAuthType.NONE) {
      Annotations.of(this).addWarningV2('cdk-reference-patterns:apiAuthNone',
        `${this.node.path} has no authentication (ApiAuth.none()): anyone who knows the URL may call every route; throttling is the only limit`);
    }
    if (props.logFullRequestsAndResponses) {
      Annotations.of(this).addWarningV2('cdk-reference-patterns:apiDataTrace',
        `${this.node.path} logs full requests and responses: headers and bodies, tokens and personal data included, go to the execution logs. Turn it off outside debugging`);
    }
    if (this.alarmsOn) {
      this.createApiAlarms(props);
    }
    this.addAlarmAction(...props.alarmActions ?? []);
  }

  /** The data flow for the README diagrams: callers, the distribution and page, the API, the table. */
  private describeFlow(id: string, stageName: string): void {
    const flow = Flow.of(this);
    const callers = flowRef(this, 'Callers', true);
    flow.node(callers, 'client', this.distribution ? 'Browser' : 'API callers');
    // How the API authenticates, on the API node: on the caller it would read as a key shipped to the browser.
    const auth: Record<ApiAuthType, string> = {
      [ApiAuthType.IAM]: 'IAM (SigV4)', [ApiAuthType.API_KEY]: 'API keys', [ApiAuthType.COGNITO]: 'Cognito', [ApiAuthType.NONE]: 'no auth',
    };
    flow.node(this.api, 'api', id, { detail: `stage ${stageName} · ${auth[this.auth.type]}` });
    if (this.table) {
      flow.node(this.table, 'table', flowName(this.table));
    }
    if (this.distribution && this.websiteBucket) {
      flow.node(this.distribution, 'distribution', `${id} site`);
      flow.node(this.websiteBucket, 'bucket', `${id} page`);
      flow.edge(callers, this.distribution, { label: 'HTTPS' });
      flow.edge(this.distribution, this.websiteBucket, { label: 'page (origin access control)' });
      if (this.apiThroughWebsite) {
        flow.edge(this.distribution, this.api, { label: `/${API_PREFIX}/*` });
      } else {
        flow.edge(callers, this.api, { label: 'HTTPS to the API\'s own domain (CORS)' });
      }
    } else {
      flow.edge(callers, this.api, { label: 'HTTPS' });
    }
  }

  /**
   * Adds a route: `method` on `path` (`/orders/{id}`) invokes `fn` (Lambda proxy integration), with this
   * API's authentication, request validation, the function's table access (`options.access`), and the
   * stage cache for GET routes. Each function gets an errors and a throttles alarm (once).
   */
  public addRoute(method: string, path: string, fn: lambda.IFunction, options: RouteOptions = {}): apigateway.Method {
    const httpMethod = validateMethod(this, method);
    const segments = parseRoutePath(this, path);
    const resourcePath = this.apiThroughWebsite ? `/${API_PREFIX}${path === '/' ? '' : path}` : path;
    if (this.routes.some((r) => r.method === httpMethod && r.resourcePath === resourcePath)) {
      fail(this, `addRoute ${httpMethod} ${path} is defined already: each method and path may be added once`);
    }
    this.checkSiblingVariables(path, segments);
    const access = options.access ?? TableAccess.NONE;
    if (access !== TableAccess.NONE && !this.table) {
      fail(this, `addRoute ${httpMethod} ${path} asks for access ${access}, but the API has no table: give the table prop or use TableAccess.NONE`);
    }
    const cached = this.routeCached(httpMethod, path, options);
    validateCacheKeyNames(this, 'cacheKeyQueryStrings', options.cacheKeyQueryStrings);
    validateCacheKeyNames(this, 'cacheKeyHeaders', options.cacheKeyHeaders);

    // Cache keys: every path variable (else /orders/1 and /orders/2 share an entry), the query strings and
    // headers asked for, and the caller's credential header.
    const requestParameters: Record<string, boolean> = {};
    const cacheKeys: string[] = [];
    for (const segment of segments) {
      if (segment.variable) {
        requestParameters[`method.request.path.${segment.variable}`] = true;
        cacheKeys.push(`method.request.path.${segment.variable}`);
      }
    }
    // An ANY route also answers GET requests: if the stage cache served them, the same keys keep entries apart.
    const keyed = cached || (this.props.cache !== undefined && httpMethod === 'ANY');
    if (keyed) {
      for (const name of options.cacheKeyQueryStrings ?? []) {
        requestParameters[`method.request.querystring.${name}`] = false;
        cacheKeys.push(`method.request.querystring.${name}`);
      }
      const headers = [...options.cacheKeyHeaders ?? []];
      if (options.cachePerCaller ?? true) {
        const credential = this.auth.type === ApiAuthType.COGNITO ? 'Authorization' : this.auth.type === ApiAuthType.API_KEY ? 'x-api-key' : undefined;
        if (credential !== undefined && !headers.some((h) => h.toLowerCase() === credential.toLowerCase())) {
          headers.push(credential);
        }
      }
      for (const name of headers) {
        requestParameters[`method.request.header.${name}`] = false;
        cacheKeys.push(`method.request.header.${name}`);
      }
    }

    const integration = new apigateway.LambdaIntegration(fn, {
      proxy: true,
      // The function may be invoked by this method of this stage only, not by console test calls.
      allowTestInvoke: false,
      cacheKeyParameters: keyed && cacheKeys.length > 0 ? cacheKeys : undefined,
    });
    const resource = path === '/' ? this.routesRoot : this.routesRoot.resourceForPath(path.slice(1));
    const methodResource = resource.addMethod(httpMethod, integration, {
      ...this.authOptions(),
      requestValidator: this.requestValidator,
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      requestModels: options.requestSchema
        ? { 'application/json': this.api.addModel(this.modelId(httpMethod, path), { contentType: 'application/json', schema: options.requestSchema }) }
        : undefined,
    });
    this.routes.push({ method: httpMethod, resourcePath, cached, methodResource });
    this.acknowledgeMethod(methodResource);

    this.grantRoute(fn, access);
    Flow.of(this).node(fn, 'function', flowName(fn));
    Flow.of(this).edge(this.api, fn, { label: `${httpMethod} ${path}` });
    if (this.table && access !== TableAccess.NONE) {
      Flow.of(this).edge(fn, this.table, access === TableAccess.READ ? { label: 'read' } : { label: 'read/write', style: 'both' });
    }
    if (this.allowedOrigin) {
      this.setEnvironment(fn, ServerlessApi.ALLOWED_ORIGIN_VARIABLE, this.allowedOrigin);
    }
    for (const { statement, grantee } of this.invokeStatements) {
      const arn = this.routeArn(httpMethod, resourcePath);
      statement.addResources(arn);
      this.acknowledgeInvokeWildcard(grantee, httpMethod, resourcePath, arn);
    }
    if (this.alarmsOn) {
      this.createFunctionAlarms(fn);
    }
    return methodResource;
  }

  /**
   * Lets the principal call every route, present and added later: `execute-api:Invoke` on each route's ARN
   * in this stage (no wildcard beyond the path variables). IAM authentication only.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (this.auth.type !== ApiAuthType.IAM) {
      fail(this, `grantInvoke applies to ApiAuth.iam() only (callers sign with SigV4), but the API uses ${this.auth.type}`);
    }
    if (this.routes.length === 0) {
      fail(this, 'grantInvoke needs at least one route: call addRoute first (routes added later are granted too)');
    }
    const statement = new iam.PolicyStatement({
      actions: ['execute-api:Invoke'],
      resources: this.routes.map((r) => this.routeArn(r.method, r.resourcePath)),
    });
    const grant = iam.Grant.addToPrincipal({ grantee, actions: statement.actions, resourceArns: statement.resources });
    // Later routes join the statement the grant added.
    const added = grant.principalStatements[0];
    if (added) {
      this.invokeStatements.push({ statement: added, grantee });
      for (const route of this.routes) {
        this.acknowledgeInvokeWildcard(grantee, route.method, route.resourcePath, this.routeArn(route.method, route.resourcePath));
      }
    } else {
      Annotations.of(this).addWarningV2('cdk-reference-patterns:grantInvokeNoPolicy',
        `grantInvoke: ${grantee.grantPrincipal} has no identity policy this app can change; give it execute-api:Invoke on ${this.api.arnForExecuteApi('*', '/*', this.stage.stageName)} where it is defined`);
    }
    return grant;
  }

  /**
   * Adds a usage plan for this stage (API key authentication only): its throttle (no higher than the
   * stage's) and quota apply to each key added with `addApiKey`.
   */
  public addUsagePlan(id: string, options: ApiUsagePlanOptions = {}): ApiUsagePlan {
    if (this.auth.type !== ApiAuthType.API_KEY) {
      fail(this, `addUsagePlan('${id}') applies to ApiAuth.apiKey() only (usage plans meter API keys), but the API uses ${this.auth.type}`);
    }
    validatePlanThrottle(this, id, options.throttle, this.throttle);
    validateQuota(this, id, options.quota);
    return new ApiUsagePlan(this, id, { ...options, api: this.api, stage: this.stage });
  }

  /** The URL of the stage (or, with a routed website, of `/api` on the distribution). */
  public get url(): string {
    return this.apiThroughWebsite ? `https://${this.distribution!.distributionDomainName}/${API_PREFIX}/` : this.api.url;
  }

  /**
   * Adds the given actions to every alarm of this construct, for the ALARM and OK states: those of routes
   * added later too.
   */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.alarmActions.push(...actions);
    wireAlarmActions(this.alarms, actions);
  }

  private createTable(options: ServerlessTableOptions): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Table', {
      tableName: options.tableName,
      partitionKey: options.partitionKey,
      sortKey: options.sortKey,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: this.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: this.encryptionKey,
      deletionProtection: options.deletionProtection ?? true,
      timeToLiveAttribute: options.timeToLiveAttribute,
      removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    return table;
  }

  private addToBackupPlan(plan: backup.IBackupPlan, table: dynamodb.Table): void {
    const selection = new backup.BackupSelection(this, 'BackupSelection', {
      backupPlan: plan,
      resources: [backup.BackupResource.fromDynamoDbTable(table)],
    });
    const role = selection.node.tryFindChild('Role');
    if (role) {
      acknowledgeRules(role.node.defaultChild as iam.CfnRole, {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason: 'AWS Backup\'s own service role policy for backup jobs, as AWS Backup documents for selections; the role serves this selection only',
      });
    }
  }

  private createExecutionLogs(stageName: string): logs.LogGroup {
    // API Gateway writes execution logs to this group, creating it (unencrypted, kept forever) unless it
    // exists: it is created first, with the retention and key of the other logs.
    const group = logGroup(this, 'ExecutionLogs', { retention: this.props.logRetention, encryptionKey: this.encryptionKey, removalPolicy: RemovalPolicy.RETAIN });
    (group.node.defaultChild as logs.CfnLogGroup).logGroupName = `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`;
    this.stage.node.addDependency(group);
    return group;
  }

  private setUpAccountRole(): void {
    const choice = this.props.accountCloudWatchRole;
    if (choice === AccountCloudWatchRole.EXISTING) {
      return;
    }
    const account = accountCloudWatchLogging(this.api);
    // Execution logging is refused until the account setting names a role.
    this.stage.node.addDependency(account);
    if (choice === undefined) {
      Annotations.of(this).addWarningV2('cdk-reference-patterns:accountCloudWatchRole',
        `${this.node.path} sets this account's API Gateway CloudWatch Logs role in the stack's region (AWS::ApiGateway::Account, retained with its role on stack deletion), replacing any role set before by the console or another stack. If a platform stack manages it, pass accountCloudWatchRole: EXISTING; pass CREATE to confirm and silence this warning`);
    }
  }

  /** Authorization settings of every method. */
  private authOptions(): apigateway.MethodOptions {
    switch (this.auth.type) {
      case ApiAuthType.IAM:
        return { authorizationType: apigateway.AuthorizationType.IAM };
      case ApiAuthType.API_KEY:
        return { authorizationType: apigateway.AuthorizationType.NONE, apiKeyRequired: true };
      case ApiAuthType.COGNITO:
        return { authorizationType: apigateway.AuthorizationType.COGNITO, authorizer: this.authorizer, authorizationScopes: this.auth.scopes };
      default:
        return { authorizationType: apigateway.AuthorizationType.NONE };
    }
  }

  /** Whether the stage cache serves the route; refuses cache options that cannot apply. */
  private routeCached(method: string, path: string, options: RouteOptions): boolean {
    const stageCache = this.props.cache !== undefined;
    if (options.cache === true && !stageCache) {
      fail(this, `addRoute ${method} ${path}: cache true needs the stage cache (the cache prop), which is off`);
    }
    if (options.cache === true && method !== 'GET') {
      fail(this, `addRoute ${method} ${path}: cache applies to GET routes only (API Gateway caches GET methods), but ${method} was provided`);
    }
    const cached = stageCache && method === 'GET' && options.cache !== false;
    const keyed = options.cacheKeyQueryStrings !== undefined || options.cacheKeyHeaders !== undefined || options.cachePerCaller !== undefined;
    if (keyed && !cached) {
      fail(this, `addRoute ${method} ${path}: cacheKeyQueryStrings, cacheKeyHeaders and cachePerCaller apply to cached GET routes only, but this route is not cached`);
    }
    if (options.cachePerCaller === true && (this.auth.type === ApiAuthType.IAM || this.auth.type === ApiAuthType.NONE)) {
      fail(this, `addRoute ${method} ${path}: cachePerCaller applies to Cognito and API key authentication (a stable credential header), but the API uses ${this.auth.type}`);
    }
    return cached;
  }

  /** API Gateway allows one variable segment among the children of a resource. */
  private checkSiblingVariables(path: string, segments: PathSegment[]): void {
    let parent = '';
    for (const segment of segments) {
      if (segment.variable) {
        const existing = this.variableAt.get(parent);
        if (existing !== undefined && existing !== segment.part) {
          fail(this, `addRoute path '${path}' has the variable ${segment.part} where another route has ${existing} (under '${parent || '/'}'): API Gateway allows one variable per level, so use the same name`);
        }
        this.variableAt.set(parent, segment.part);
      }
      parent = `${parent}/${segment.part}`;
    }
  }

  /** The construct ID of a route's request model: `ModelPOSTOrders` (numbered when two paths differ only in punctuation). */
  private modelId(method: string, path: string): string {
    const base = `Model${method}${routeIdPart(path)}`;
    let id = base;
    for (let i = 2; this.api.node.tryFindChild(id); i++) {
      id = `${base}${i}`;
    }
    return id;
  }

  /** The table grant and environment of a route function. */
  private grantRoute(fn: lambda.IFunction, access: TableAccess): void {
    const table = this.table;
    if (!table || access === TableAccess.NONE) {
      return;
    }
    const write = access === TableAccess.READ_WRITE;
    iam.Grant.addToPrincipalOrResource({
      grantee: fn,
      actions: write ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS,
      resourceArns: [table.tableArn],
      resource: table,
    });
    this.encryptionKey?.grant(fn, ...write ? KMS_WRITE : KMS_READ);
    this.setEnvironment(fn, ServerlessApi.TABLE_NAME_VARIABLE, table.tableName);
  }

  private setEnvironment(fn: lambda.IFunction, name: string, value: string): void {
    if (fn instanceof lambda.Function) {
      fn.addEnvironment(name, value);
    } else {
      Annotations.of(this).addWarningV2(`cdk-reference-patterns:routeEnvironment${name}`,
        `${fn.node.path} is not a lambda.Function defined in this app: set its ${name} environment variable yourself`);
    }
  }

  /**
   * A route with path variables has a `*` in its execute-api ARN (any value of the variable): that finding is
   * acknowledged on the grantee's own policy (a ManagedPolicyRole's managed policy or a role's default policy).
   */
  private acknowledgeInvokeWildcard(grantee: iam.IGrantable, method: string, resourcePath: string, arn: string): void {
    // The execute-api ARN has * where the route takes any value: path variables, and the method of an ANY route
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html).
    const wildcards = [
      ...(method === 'ANY' ? ['the method (an ANY route takes every HTTP method)'] : []),
      ...(resourcePath.includes('{') ? ['the path variables, which take any value'] : []),
    ];
    if (wildcards.length === 0) {
      return;
    }
    const principal = grantee.grantPrincipal;
    const policy = principal instanceof ManagedPolicyRole ? principal.permissionsPolicy?.node.defaultChild
      : principal instanceof iam.Role ? principal.node.tryFindChild('DefaultPolicy')?.node.defaultChild
        : undefined;
    if (policy instanceof iam.CfnPolicy || policy instanceof iam.CfnManagedPolicy) {
      acknowledgeRules(policy, {
        id: `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(policy), arn)}]`,
        reason: `execute-api:Invoke on the route ${method} ${resourcePath} of ${this.node.path}: the * stands for ${wildcards.join(' and ')}`,
      });
    }
  }

  /** The execute-api ARN of a route: path variables match any value. */
  private routeArn(method: string, resourcePath: string): string {
    const path = resourcePath.replace(/\{[^}]+\}/g, '*');
    return this.api.arnForExecuteApi(method === 'ANY' ? '*' : method, path, this.stage.stageName);
  }

  /** The stage's method settings: `/*\/*` for every method, and overrides for GET routes taken out of the cache. */
  private methodSettings(): apigateway.CfnStage.MethodSettingProperty[] {
    const common = {
      loggingLevel: this.props.executionLogLevel ?? apigateway.MethodLoggingLevel.ERROR,
      dataTraceEnabled: this.props.logFullRequestsAndResponses ?? false,
      metricsEnabled: true,
      throttlingRateLimit: this.throttle.rateLimit,
      throttlingBurstLimit: this.throttle.burstLimit,
    };
    const cache = this.props.cache ? {
      cachingEnabled: true,
      cacheTtlInSeconds: this.cacheTtlSeconds ?? this.props.cache.ttl.toSeconds(),
      cacheDataEncrypted: true,
    } : {};
    const settings: apigateway.CfnStage.MethodSettingProperty[] = [{ httpMethod: '*', resourcePath: '/*', ...common, ...cache }];
    // An override replaces the stage-wide settings for its method: it repeats them all.
    for (const route of this.routes.filter((r) => this.props.cache && r.method === 'GET' && !r.cached)) {
      // CloudFormation encodes each '/' of the path as ~1 after a leading '/': /orders/{id} is /~1orders~1{id}.
      settings.push({ httpMethod: route.method, resourcePath: `/${route.resourcePath.replace(/\//g, '~1')}`, ...common, cachingEnabled: false });
    }
    return settings;
  }

  private createApiAlarms(props: ServerlessApiProps): void {
    const five = { period: Duration.minutes(5) };
    const rate = props.serverErrorRateThreshold ?? 0.05;
    this.alarm('ServerErrorAlarm', `more than ${Math.round(rate * 1000) / 10} % of requests answered 5XX`,
      this.stage.metricServerError({ ...five, statistic: cloudwatch.Stats.AVERAGE }), rate, cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD);
    const latency = props.latencyThreshold ?? Duration.seconds(2);
    this.alarm('LatencyAlarm', `p99 latency above ${latency.toHumanString()}`, this.stage.metricLatency({ ...five, statistic: cloudwatch.Stats.p(99) }),
      latency.toMilliseconds(), cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD);
    if (this.table) {
      const tableName = this.table.tableName;
      const throttleEvents = (metricName: string) => new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: tableName }, ...five, statistic: cloudwatch.Stats.SUM,
      });
      this.alarm('TableThrottleAlarm', 'DynamoDB throttled reads or writes on the table',
        new cloudwatch.MathExpression({
          expression: 'FILL(reads, 0) + FILL(writes, 0)',
          usingMetrics: { reads: throttleEvents('ReadThrottleEvents'), writes: throttleEvents('WriteThrottleEvents') },
          label: 'Throttled reads and writes',
          ...five,
        }), 1, cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    }
  }

  /** Errors and throttles of a route function, once per function. */
  private createFunctionAlarms(fn: lambda.IFunction): void {
    const key = fn.node.path;
    if (this.alarmedFunctions.has(key)) {
      return;
    }
    this.alarmedFunctions.add(key);
    const id = Names.nodeUniqueId(fn.node);
    const five = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
    this.alarm(`FunctionErrorsAlarm${id}`, `route function ${fn.node.path} reported errors`, fn.metricErrors(five), 1,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    this.alarm(`FunctionThrottlesAlarm${id}`, `route function ${fn.node.path} was throttled (concurrency limit)`, fn.metricThrottles(five), 1,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
  }

  /** A one-period alarm on which missing data (no traffic) is not breaching. */
  private alarm(id: string, description: string, metric: cloudwatch.IMetric, threshold: number, comparisonOperator: cloudwatch.ComparisonOperator) {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: `${this.node.path}: ${description}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarms.push(alarm);
    // Alarms of routes added later get the actions given so far.
    wireAlarmActions([alarm], this.alarmActions);
  }

  private acknowledgeStage(cfnStage: apigateway.CfnStage): void {
    acknowledgeRules(cfnStage, ...inPacks('APIGWSSLEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'],
      'A client certificate lets an HTTP backend authenticate API Gateway; every integration here is a Lambda function, invoked through its resource policy scoped to this API\'s methods'));
  }

  private acknowledgeMethod(method: apigateway.Method): void {
    const cfn = method.node.defaultChild as apigateway.CfnMethod;
    switch (this.auth.type) {
      case ApiAuthType.IAM:
        acknowledgeRules(cfn, { id: 'AwsSolutions-COG4', reason: 'Callers authenticate with SigV4 (ApiAuth.iam()), authorized by IAM policies on each route: a Cognito authorizer would replace that' });
        break;
      case ApiAuthType.API_KEY:
        acknowledgeRules(cfn, {
          id: 'AwsSolutions-APIG4', reason: 'ApiAuth.apiKey() was chosen: every method requires an API key of a usage plan, which identifies, throttles and meters the developer',
        }, { id: 'AwsSolutions-COG4', reason: 'ApiAuth.apiKey() was chosen: callers are developers with API keys, not user pool members' });
        break;
      case ApiAuthType.NONE:
        acknowledgeRules(cfn, {
          id: 'AwsSolutions-APIG4', reason: 'ApiAuth.none() was chosen explicitly (synthesis warns): a public API, limited by the stage throttle',
        }, { id: 'AwsSolutions-COG4', reason: 'ApiAuth.none() was chosen explicitly: a public API' });
        break;
      default:
        break;
    }
  }
}

/** The JSON access log format: who called what, how it ended, and how long each part took (never the API key value). */
function accessLogFormat(): apigateway.AccessLogFormat {
  const f = apigateway.AccessLogField;
  return apigateway.AccessLogFormat.custom(JSON.stringify({
    requestId: f.contextRequestId(),
    extendedRequestId: f.contextExtendedRequestId(),
    requestTime: f.contextRequestTime(),
    ip: f.contextIdentitySourceIp(),
    userAgent: f.contextIdentityUserAgent(),
    caller: f.contextIdentityCaller(),
    user: f.contextIdentityUser(),
    apiKeyId: f.contextIdentityApiKeyId(),
    httpMethod: f.contextHttpMethod(),
    resourcePath: f.contextResourcePath(),
    protocol: f.contextProtocol(),
    status: f.contextStatus(),
    responseLength: f.contextResponseLength(),
    responseLatency: f.contextResponseLatency(),
    integrationLatency: f.contextIntegrationLatency(),
    integrationStatus: f.contextIntegrationStatus(),
    errorMessage: f.contextErrorMessage(),
    integrationErrorMessage: f.contextIntegrationErrorMessage(),
    wafResponseCode: f.contextWafResponseCode(),
    xrayTraceId: f.contextXrayTraceId(),
  }));
}

/** A route path as part of a construct ID: `/orders/{id}` is `OrdersId`. */
function routeIdPart(path: string): string {
  return path.split(/[^A-Za-z0-9]+/).filter((w) => w !== '').map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Root';
}

/** The object without its undefined values (so that a partial throttle keeps the other default). */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
