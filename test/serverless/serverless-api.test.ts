import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  AccountCloudWatchRole, ApiAuth, ApiCacheSize, ManagedPolicyRole, ServerlessApi, ServerlessApiProps, TableAccess,
} from '../../src';
import {
  createTestApp, createTestFunction, createTestRole, createTestStack, expectCompliant, expectOnlyFindings, findingSummary, OPS_TOPIC_ARN,
} from '../util';

const TABLE = { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } };
const METHOD = 'AWS::ApiGateway::Method';
const STAGE = 'AWS::ApiGateway::Stage';
const DISTRIBUTION = 'AWS::CloudFront::Distribution';
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const SECURITY_HEADERS = '67f7725c-6f97-4210-82d7-5512b31e9d03';
const REGIONAL_ACL = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const GLOBAL_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222';
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';

/**
 * A route function: the shared test fixture, whose log group (created by the recommended feature flags) is
 * the fixture's own, not the construct's.
 */
function routeFunction(scope: Construct, id: string): lambda.Function {
  const fn = createTestFunction(scope, id);
  const group = fn.node.tryFindChild('LogGroup');
  if (group) {
    Validations.of(group).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-CloudWatchLogGroupEncrypted`, reason: 'test fixture' })));
  }
  return fn;
}

/** Adds a route (an API without methods cannot be deployed, and aws-cdk-lib refuses it at synth). */
function withRoute(api: ServerlessApi): ServerlessApi {
  api.addRoute('GET', '/health', routeFunction(api, 'Health'));
  return api;
}

/** The statements of the inline policy of the fixture function `id`. */
function functionStatements(template: Template, id: string): Array<Record<string, unknown>> {
  const policies = template.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([logicalId]) => logicalId.startsWith(`${id}ServiceRoleDefaultPolicy`));
  return entry ? entry[1].Properties.PolicyDocument.Statement : [];
}

/** The one resource of `type` whose logical ID starts with `prefix`. */
function resource(template: Template, type: string, prefix: string): { id: string; body: any } {
  const matches = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(matches.map(([id]) => id)).toHaveLength(1);
  return { id: matches[0][0], body: matches[0][1] };
}

/** The method resources of the API by HTTP method and path part of their logical ID. */
function methods(template: Template): any[] {
  return Object.values(template.findResources(METHOD)).map((m: any) => m.Properties).filter((p) => p.HttpMethod !== 'OPTIONS');
}

describe('ServerlessApi defaults (env-bound stack)', () => {
  // GIVEN the one-liner, plus a write route
  const stack = createTestStack();
  const api = new ServerlessApi(stack, 'Orders', { table: TABLE });
  const getOrder = routeFunction(stack, 'GetOrder');
  const createOrder = routeFunction(stack, 'CreateOrder');
  api.addRoute('GET', '/orders/{id}', getOrder, { access: TableAccess.READ });
  api.addRoute('POST', '/orders', createOrder, { access: TableAccess.READ_WRITE });
  const template = Template.fromStack(stack);
  const stage = () => resource(template, STAGE, 'OrdersApiDeploymentStage').body;

  test('a regional REST API with one stage, prod', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.resourceCountIs(STAGE, 1);
    expect(stage().Properties.StageName).toBe('prod');
  });

  test('X-Ray tracing and detailed metrics on the stage', () => {
    expect(stage().Properties.TracingEnabled).toBe(true);
    expect(stage().Properties.MethodSettings[0]).toMatchObject({ HttpMethod: '*', ResourcePath: '/*', MetricsEnabled: true });
  });

  test('execution logs at ERROR, full request and response data off', () => {
    expect(stage().Properties.MethodSettings[0]).toMatchObject({ LoggingLevel: 'ERROR', DataTraceEnabled: false });
  });

  test('stage throttle 1000 requests per second, burst 500, on every method', () => {
    expect(stage().Properties.MethodSettings).toEqual([expect.objectContaining({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 500 })]);
  });

  test('JSON access logs with the request ID, in a log group kept one year and retained', () => {
    const { AccessLogSetting } = stage().Properties;
    const format = JSON.parse(AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', ip: '$context.identity.sourceIp', apiKeyId: '$context.identity.apiKeyId' });
    // the key value itself is never logged
    expect(AccessLogSetting.Format).not.toContain('$context.identity.apiKey"');
    const group = resource(template, 'AWS::Logs::LogGroup', 'OrdersAccessLogs');
    expect(group.body).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    expect(JSON.stringify(AccessLogSetting.DestinationArn)).toContain(group.id);
  });

  test('the execution log group exists before the stage: API Gateway\'s name, one year, retained', () => {
    const group = resource(template, 'AWS::Logs::LogGroup', 'OrdersExecutionLogs');
    expect(group.body).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: 365, LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: expect.stringMatching(/^OrdersApi/) }, '/prod']] } },
    });
    expect(stage().DependsOn).toEqual(expect.arrayContaining([group.id]));
  });

  test('account CloudWatch role: created, set, both retained; the stage waits for the setting', () => {
    const account = resource(template, 'AWS::ApiGateway::Account', 'ApiGatewayCloudWatchLoggingAccount');
    const role = resource(template, 'AWS::IAM::Role', 'ApiGatewayCloudWatchLoggingRole');
    const policy = resource(template, 'AWS::IAM::ManagedPolicy', 'ApiGatewayCloudWatchLoggingRolePolicy');
    expect(account.body.DeletionPolicy).toBe('Retain');
    expect(role.body.DeletionPolicy).toBe('Retain');
    expect(policy.body.DeletionPolicy).toBe('Retain');
    expect(account.body.Properties.CloudWatchRoleArn).toEqual({ 'Fn::GetAtt': [role.id, 'Arn'] });
    // the policy is attached and an API Gateway resource exists before the setting is made
    expect(account.body.DependsOn).toEqual(expect.arrayContaining([policy.id, role.id, expect.stringMatching(/^OrdersApi[0-9A-F]{8}$/)]));
    expect(role.body.Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'apigateway.amazonaws.com' } })]);
    expect(policy.body.Properties.PolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:PutLogEvents'],
      Resource: ['arn:aws:logs:us-east-1:123456789012:log-group:*', 'arn:aws:logs:us-east-1:123456789012:log-group:*:log-stream:*'],
    }]);
    expect(stage().DependsOn).toEqual(expect.arrayContaining([account.id]));
  });

  test('the account role is not taken over silently: a warning names it and how to opt out', () => {
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('accountCloudWatchRole: EXISTING'));
  });

  test('IAM (SigV4) authorization on every method, with request validation', () => {
    expect(methods(template)).toHaveLength(2);
    for (const m of methods(template)) {
      expect(m.AuthorizationType).toBe('AWS_IAM');
      expect(m.RequestValidatorId).toEqual({ Ref: expect.stringMatching(/^OrdersApiRequestValidator/) });
    }
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  test('the table: on-demand, point-in-time recovery, encrypted, deletion protection, retained', () => {
    const table = resource(template, 'AWS::DynamoDB::Table', 'OrdersTable');
    expect(table.body).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    });
  });

  test('each route function gets the table name and exactly its access: READ', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { TABLE_NAME: { Ref: resource(template, 'AWS::DynamoDB::Table', 'OrdersTable').id } } },
    });
    expect(functionStatements(template, 'GetOrder')).toEqual([{
      Effect: 'Allow',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersTable/), 'Arn'] },
    }]);
  });

  test('READ_WRITE adds the writes and nothing else', () => {
    expect(functionStatements(template, 'CreateOrder')).toEqual([{
      Effect: 'Allow',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem',
        'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersTable/), 'Arn'] },
    }]);
  });

  test('API Gateway may invoke each function from its own method of this stage only (no test-invoke)', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((p: any) => JSON.stringify(p.Properties.SourceArn));
    expect(permissions).toHaveLength(2);
    expect(permissions.some((arn) => arn.includes('/GET/orders/*'))).toBe(true);
    expect(permissions.some((arn) => arn.includes('/POST/orders'))).toBe(true);
    expect(permissions.every((arn) => arn.includes('OrdersApiDeploymentStage') && !arn.includes('test-invoke-stage'))).toBe(true);
  });

  test('no cache unless asked (it is billed by the hour)', () => {
    expect(stage().Properties.CacheClusterEnabled).toBeUndefined();
    expect(stage().Properties.MethodSettings[0].CachingEnabled).toBeUndefined();
    for (const m of methods(template)) {
      expect(m.Integration.CacheKeyParameters).toBeUndefined();
    }
  });

  test('no website unless asked', () => {
    template.resourceCountIs(DISTRIBUTION, 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(api.distribution).toBeUndefined();
    expect(api.websiteBucket).toBeUndefined();
  });

  test('alarms: 5XX rate over 5 %, p99 latency over 2 s, table throttles, each function\'s errors and throttles', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Statistic: 'Average', Threshold: 0.05, ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/ApiGateway', MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 2000 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Id: 'reads', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ReadThrottleEvents' }) }) }),
        Match.objectLike({ Id: 'writes', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'WriteThrottleEvents' }) }) }),
      ]),
    });
    for (const fn of ['GetOrder', 'CreateOrder']) {
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp(`^${fn}`) } }],
        });
      }
    }
    expect(api.alarms).toHaveLength(7);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { TreatMissingData: 'notBreaching', EvaluationPeriods: 1 });
  });

  test('outputs: the endpoint only', () => {
    expect(Object.values(template.toJSON().Outputs)).toEqual([{ Value: { 'Fn::Join': ['', expect.arrayContaining(['https://'])] } }]);
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: only findings a documented prop clears; inherent ones carry their reason', () => {
    expectOnlyFindings(stack, {
      APIG3: ['Orders/Api/DeploymentStage.prod'],
      APIGWAssociatedWithWAF: ['Orders/Api/DeploymentStage.prod'],
      APIGWCacheEnabledAndEncrypted: ['Orders/Api/DeploymentStage.prod'],
      CloudWatchAlarmAction: [
        'Orders/FunctionErrorsAlarmTestCreateOrderDF507A95', 'Orders/FunctionErrorsAlarmTestGetOrderF215DB73',
        'Orders/FunctionThrottlesAlarmTestCreateOrderDF507A95', 'Orders/FunctionThrottlesAlarmTestGetOrderF215DB73',
        'Orders/LatencyAlarm', 'Orders/ServerErrorAlarm', 'Orders/TableThrottleAlarm',
      ],
      CloudWatchLogGroupEncrypted: ['Orders/AccessLogs', 'Orders/ExecutionLogs'],
      DynamoDBInBackupPlan: ['Orders/Table'],
    });
    expect(stage().Metadata.cdk_nag.rules_to_suppress).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: 'NIST.800.53.R5-APIGWSSLEnabled', reason: expect.stringContaining('Lambda function') }),
    ]));
  });
});

describe('ServerlessApi in an environment-agnostic stack', () => {
  const stack = new Stack(createTestApp(), 'Agnostic');
  const api = new ServerlessApi(stack, 'Orders', { table: TABLE, website: true, webAclArn: REGIONAL_ACL, cache: { ttl: Duration.minutes(5) } });
  api.addRoute('GET', '/orders/{id}', routeFunction(stack, 'GetOrder'), { access: TableAccess.READ });
  const template = Template.fromStack(stack);

  test('synthesizes: the account role is scoped with the deploy-time account and region', () => {
    const policy = resource(template, 'AWS::IAM::ManagedPolicy', 'ApiGatewayCloudWatchLoggingRolePolicy');
    expect(JSON.stringify(policy.body.Properties.PolicyDocument)).toContain('AWS::Region');
    expect(JSON.stringify(policy.body.Properties.PolicyDocument)).toContain('AWS::AccountId');
  });

  test('the regional web ACL is associated with the stage (its region is checked only when known)', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: REGIONAL_ACL });
  });

  test('compliance: only prop-cleared findings', () => {
    expectOnlyFindings(stack, {
      CFR2: ['Orders/Distribution'],
      CFR4: ['Orders/Distribution'],
      CloudWatchAlarmAction: ['Orders/FunctionErrorsAlarmAgnosticGetOrderBB6341CD', 'Orders/FunctionThrottlesAlarmAgnosticGetOrderBB6341CD',
        'Orders/LatencyAlarm', 'Orders/ServerErrorAlarm', 'Orders/TableThrottleAlarm'],
      CloudWatchLogGroupEncrypted: ['Orders/AccessLogs', 'Orders/ExecutionLogs'],
      DynamoDBInBackupPlan: ['Orders/Table'],
      S3BucketReplicationEnabled: ['Orders/WebsiteLogs'],
      S3DefaultEncryptionKMS: ['Orders/WebsiteLogs'],
    });
  });
});

describe('ServerlessApi fully customised', () => {
  const stack = createTestStack();
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  const logArchive = s3.Bucket.fromBucketName(stack, 'LogArchive', 'central-log-archive');
  const plan = backup.BackupPlan.daily35DayRetention(stack, 'Backups', new backup.BackupVault(stack, 'Vault', { encryptionKey: key }));
  const api = new ServerlessApi(stack, 'Orders', {
    table: { ...TABLE, sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING }, tableName: 'orders', timeToLiveAttribute: 'expires' },
    auth: ApiAuth.apiKey(),
    stageName: 'v1',
    apiName: 'orders-api',
    throttle: { rateLimit: 200, burstLimit: 100 },
    cache: { ttl: Duration.minutes(10), size: ApiCacheSize.GB_1_6 },
    executionLogLevel: apigateway.MethodLoggingLevel.INFO,
    logRetention: logs.RetentionDays.THREE_MONTHS,
    encryptionKey: key,
    backupPlan: plan,
    accountCloudWatchRole: AccountCloudWatchRole.EXISTING,
    webAclArn: REGIONAL_ACL,
    website: true,
    websiteDomainNames: ['shop.example.com'],
    websiteCertificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE),
    websiteWebAclArn: GLOBAL_ACL,
    accessLogsBucket: logArchive,
    serverErrorRateThreshold: 0.01,
    latencyThreshold: Duration.seconds(1),
    alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(stack, 'Ops', OPS_TOPIC_ARN))],
  });
  api.addRoute('GET', '/orders/{id}', routeFunction(stack, 'GetOrder'), { access: TableAccess.READ, cacheKeyQueryStrings: ['fields'] });
  api.addRoute('POST', '/orders', routeFunction(stack, 'CreateOrder'), { access: TableAccess.READ_WRITE, requestSchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['item'] } });
  const partners = api.addUsagePlan('Partners', { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 10000, period: apigateway.Period.MONTH } });
  partners.addApiKey('PartnerA', { description: 'Partner A' });
  const template = Template.fromStack(stack);
  const stage = () => resource(template, STAGE, 'OrdersApiDeploymentStage').body;

  test('stage name, throttle, INFO logging, encrypted cache of the given size and TTL', () => {
    expect(stage().Properties).toMatchObject({ StageName: 'v1', CacheClusterEnabled: true, CacheClusterSize: '1.6' });
    expect(stage().Properties.MethodSettings[0]).toEqual({
      HttpMethod: '*',
      ResourcePath: '/*',
      LoggingLevel: 'INFO',
      DataTraceEnabled: false,
      MetricsEnabled: true,
      ThrottlingRateLimit: 200,
      ThrottlingBurstLimit: 100,
      CachingEnabled: true,
      CacheTtlInSeconds: 600,
      CacheDataEncrypted: true,
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'orders-api' });
  });

  test('the table and both log groups under the customer key, logs kept three months', () => {
    const keyId = resource(template, 'AWS::KMS::Key', 'DataKey').id;
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'orders',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
    });
    for (const prefix of ['OrdersAccessLogs', 'OrdersExecutionLogs']) {
      expect(resource(template, 'AWS::Logs::LogGroup', prefix).body.Properties).toMatchObject({ RetentionInDays: 90, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    }
  });

  test('the route functions may use the key for exactly their access', () => {
    const kmsActions = (id: string) => functionStatements(template, id).find((s) => JSON.stringify(s.Action).includes('kms:'))?.Action;
    expect(kmsActions('GetOrder')).toBe('kms:Decrypt');
    expect(kmsActions('CreateOrder')).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']);
  });

  test('EXISTING account role: no role and no account setting created, no warning', () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('CloudWatch Logs role'))).toEqual([]);
  });

  test('API keys: every method requires a key; the plan throttles and meters; the key value is nowhere in the template', () => {
    for (const m of methods(template)) {
      expect(m).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: true });
    }
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 10000, Period: 'MONTH' },
      ApiStages: [{ ApiId: { Ref: Match.stringLikeRegexp('^OrdersApi') }, Stage: { Ref: Match.stringLikeRegexp('^OrdersApiDeploymentStage') }, Throttle: {} }],
    });
    template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Description: 'Partner A', Enabled: true, Value: Match.absent() });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    expect(partners.apiKeys).toHaveLength(1);
  });

  test('API keys are never in outputs', () => {
    const outputs = JSON.stringify(template.toJSON().Outputs ?? {});
    expect(outputs).not.toMatch(/ApiKey|Partner/);
  });

  test('the API is cached per caller: path variable, asked query string and x-api-key in the key', () => {
    const get = methods(template).find((m) => m.HttpMethod === 'GET');
    expect(get.Integration.CacheKeyParameters).toEqual(['method.request.path.id', 'method.request.querystring.fields', 'method.request.header.x-api-key']);
    expect(get.RequestParameters).toEqual({ 'method.request.path.id': true, 'method.request.querystring.fields': false, 'method.request.header.x-api-key': false });
  });

  test('a request schema becomes the POST route\'s model', () => {
    const post = methods(template).find((m) => m.HttpMethod === 'POST');
    expect(post.RequestModels).toEqual({ 'application/json': { Ref: expect.stringMatching(/^OrdersApiModelPOSTOrders/) } });
    template.hasResourceProperties('AWS::ApiGateway::Model', { ContentType: 'application/json', Schema: Match.objectLike({ type: 'object', required: ['item'] }) });
  });

  test('WAF on the stage and on the distribution; the custom domain requires TLS 1.2', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: REGIONAL_ACL,
      ResourceArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/stages/')])] },
    });
    const config = resource(template, DISTRIBUTION, 'OrdersDistribution').body.Properties.DistributionConfig;
    expect(config).toMatchObject({
      WebACLId: GLOBAL_ACL,
      Aliases: ['shop.example.com'],
      ViewerCertificate: { AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      Logging: { Bucket: 'central-log-archive.s3.us-east-1.amazonaws.com', Prefix: 'cloudfront/' },
    });
  });

  test('the table joins the backup plan', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersTable'), 'Arn'] }] }),
    });
  });

  test('alarm thresholds and actions on every alarm, ALARM and OK', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5XXError', Threshold: 0.01 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Threshold: 1000 });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [OPS_TOPIC_ARN], OKActions: [OPS_TOPIC_ARN] });
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: no finding of any of the five packs', () => {
    expectCompliant(stack);
  });
});

describe('auth x website: every combination', () => {
  function build(auth: ApiAuth | undefined, props: Partial<ServerlessApiProps> = {}) {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders', { table: TABLE, auth, website: true, accountCloudWatchRole: AccountCloudWatchRole.CREATE, ...props });
    const fn = routeFunction(stack, 'GetOrder');
    api.addRoute('GET', '/orders/{id}', fn, { access: TableAccess.READ });
    return { stack, api, template: Template.fromStack(stack) };
  }
  const apiBehavior = (template: Template) => resource(template, DISTRIBUTION, 'OrdersDistribution').body.Properties.DistributionConfig.CacheBehaviors;

  describe('website with ApiAuth.iam(): the page calls the API\'s own endpoint, CORS admits the distribution only', () => {
    const { stack, api, template } = build(ApiAuth.iam());

    test('no /api behaviour on the distribution (a SigV4 signature covers the Host header CloudFront would change)', () => {
      expect(apiBehavior(template)).toBeUndefined();
      expect(api.url).toEqual(api.api.url);
    });

    test('routes at the API root; preflight and API Gateway\'s own errors carry the distribution\'s origin', () => {
      template.hasResourceProperties(METHOD, { HttpMethod: 'GET', AuthorizationType: 'AWS_IAM', ResourceId: { Ref: Match.stringLikeRegexp('^OrdersApiordersid') } });
      const origin = { 'Fn::Join': ['', ["'https://", { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersDistribution'), 'DomainName'] }, "'"]] };
      template.hasResourceProperties(METHOD, {
        HttpMethod: 'OPTIONS',
        Integration: Match.objectLike({ IntegrationResponses: [Match.objectLike({ ResponseParameters: Match.objectLike({ 'method.response.header.Access-Control-Allow-Origin': origin }) })] }),
      });
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: type, ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': origin } });
      }
    });

    test('route functions learn the origin to answer with (ALLOWED_ORIGIN)', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ ALLOWED_ORIGIN: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersDistribution'), 'DomainName'] }]] } }) },
      });
    });

    test('compliance: the preflight methods are no finding', () => {
      expect(findingSummary(stack).filter((f) => /APIG4|COG4/.test(f))).toEqual([]);
    });
  });

  describe('website with ApiAuth.apiKey(): /api/* on the distribution, x-api-key forwarded, nothing cached', () => {
    const { stack, api, template } = build(ApiAuth.apiKey());

    test('the /api/* behaviour: the stage as origin, HTTPS only, all methods, CachingDisabled, every header but Host', () => {
      expect(apiBehavior(template)).toEqual([expect.objectContaining({
        PathPattern: '/api/*',
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ResponseHeadersPolicyId: SECURITY_HEADERS,
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      })]);
      const origins = resource(template, DISTRIBUTION, 'OrdersDistribution').body.Properties.DistributionConfig.Origins;
      const apiOrigin = origins.find((o: any) => o.CustomOriginConfig);
      expect(apiOrigin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
      // the stage name is the origin path, so /api/orders/1 reaches /<stage>/api/orders/1
      expect(JSON.stringify(apiOrigin.OriginPath)).toContain('OrdersApiDeploymentStage');
    });

    test('routes live under /api, matching the behaviour', () => {
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'api' });
      template.hasResourceProperties(METHOD, { HttpMethod: 'GET', ApiKeyRequired: true, ResourceId: { Ref: Match.stringLikeRegexp('^OrdersApiapiordersid') } });
      expect(JSON.stringify(stack.resolve(api.url))).toContain('/api/');
    });

    test('no CORS: same origin', () => {
      template.resourcePropertiesCountIs(METHOD, { HttpMethod: 'OPTIONS' }, 0);
    });
  });

  describe('website with ApiAuth.cognito(): /api/* forwards Authorization through the cache key, caching nothing', () => {
    const stack = createTestStack();
    const pool = new cognito.UserPool(stack, 'Users');
    const api = new ServerlessApi(stack, 'Orders', { table: TABLE, auth: ApiAuth.cognito(pool, { scopes: ['orders/read'] }), website: true });
    api.addRoute('GET', '/orders/{id}', routeFunction(stack, 'GetOrder'), { access: TableAccess.READ });
    const template = Template.fromStack(stack);

    test('a Cognito authorizer on every method, with the scopes', () => {
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization' });
      template.hasResourceProperties(METHOD, { HttpMethod: 'GET', AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['orders/read'] });
    });

    test('the API behaviour\'s cache policy: Authorization in the key, TTLs 0/0/1 s', () => {
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          DefaultTTL: 0,
          MinTTL: 0,
          MaxTTL: 1,
          ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({ HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] } }),
        }),
      });
      expect(apiBehavior(template)).toEqual([expect.objectContaining({ CachePolicyId: { Ref: expect.stringMatching(/^OrdersApiCachePolicy/) } })]);
    });
  });

  describe('website with ApiAuth.none(): served, and synthesis warns', () => {
    const { stack, template } = build(ApiAuth.none());

    test('/api/* served without authentication; a warning says so', () => {
      expect(apiBehavior(template)).toEqual([expect.objectContaining({ PathPattern: '/api/*', CachePolicyId: CACHING_DISABLED })]);
      template.hasResourceProperties(METHOD, { HttpMethod: 'GET', AuthorizationType: 'NONE' });
      Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('has no authentication'));
    });

    test('the chosen NONE authorization is acknowledged with its reason', () => {
      expect(findingSummary(stack).filter((f) => /APIG4|COG4/.test(f))).toEqual([]);
    });
  });

  test('fails with websiteApiCachePolicy under ApiAuth.iam() (the distribution does not serve that API)', () => {
    expect(() => build(ApiAuth.iam(), { websiteApiCachePolicy: { cachePolicyId: 'x' } as any })).toThrow(/websiteApiCachePolicy applies when the distribution serves the API/);
  });

  test('a website of any mode: private bucket, OAC, HTTPS, security headers, default root object, logs', () => {
    const { template } = build(ApiAuth.apiKey());
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
      WebsiteConfiguration: Match.absent(),
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }) }) });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' })]) },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const config = resource(template, DISTRIBUTION, 'OrdersDistribution').body.Properties.DistributionConfig;
    expect(config).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: SECURITY_HEADERS },
      Logging: { Prefix: 'cloudfront/' },
    });
    // CloudFront standard logs need ACLs on the log bucket
    template.hasResourceProperties('AWS::S3::Bucket', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } });
  });
});

describe('cache', () => {
  const stack = createTestStack();
  const api = new ServerlessApi(stack, 'Orders', { table: TABLE, cache: { ttl: Duration.minutes(5) }, accountCloudWatchRole: AccountCloudWatchRole.CREATE });
  api.addRoute('GET', '/orders/{id}', routeFunction(stack, 'GetOrder'), { access: TableAccess.READ });
  api.addRoute('GET', '/orders', routeFunction(stack, 'ListOrders'), { access: TableAccess.READ, cache: false });
  api.addRoute('POST', '/orders', routeFunction(stack, 'CreateOrder'), { access: TableAccess.READ_WRITE });
  const template = Template.fromStack(stack);
  const settings = () => resource(template, STAGE, 'OrdersApiDeploymentStage').body.Properties.MethodSettings;

  test('an encrypted 0.5 GB stage cache, 300 s TTL, for GET methods (API Gateway caches only GET at stage level)', () => {
    template.hasResourceProperties(STAGE, { CacheClusterEnabled: true, CacheClusterSize: '0.5' });
    expect(settings()[0]).toMatchObject({ HttpMethod: '*', ResourcePath: '/*', CachingEnabled: true, CacheTtlInSeconds: 300, CacheDataEncrypted: true });
  });

  test('path variables are cache keys, so /orders/1 and /orders/2 never share an entry', () => {
    const get = methods(template).find((m) => m.HttpMethod === 'GET' && m.Integration.CacheKeyParameters);
    expect(get.Integration.CacheKeyParameters).toEqual(['method.request.path.id']);
    expect(get.RequestParameters).toEqual({ 'method.request.path.id': true });
  });

  test('a route opted out gets an override that repeats every stage setting with caching off (path encoded with ~1)', () => {
    expect(settings()).toHaveLength(2);
    expect(settings()[1]).toEqual({
      HttpMethod: 'GET',
      ResourcePath: '/~1orders',
      CachingEnabled: false,
      LoggingLevel: 'ERROR',
      DataTraceEnabled: false,
      MetricsEnabled: true,
      ThrottlingRateLimit: 1000,
      ThrottlingBurstLimit: 500,
    });
  });

  test('an ANY route, which also answers GET, is keyed on its path variables too', () => {
    const s = createTestStack();
    const a = new ServerlessApi(s, 'Orders', { cache: { ttl: Duration.minutes(1) }, auth: ApiAuth.apiKey() });
    a.addRoute('ANY', '/files/{name}', routeFunction(s, 'Files'));
    Template.fromStack(s).hasResourceProperties(METHOD, {
      HttpMethod: 'ANY',
      Integration: Match.objectLike({ CacheKeyParameters: ['method.request.path.name', 'method.request.header.x-api-key'] }),
    });
  });

  test('non-GET routes have no cache keys', () => {
    expect(methods(template).find((m) => m.HttpMethod === 'POST').Integration.CacheKeyParameters).toBeUndefined();
  });

  test('compliance: the cache clears APIGWCacheEnabledAndEncrypted', () => {
    expect(findingSummary(stack).filter((f) => f.startsWith('APIGWCacheEnabledAndEncrypted'))).toEqual([]);
  });

  test('cachePerCaller false shares entries between callers (Cognito)', () => {
    const s = createTestStack();
    const a = new ServerlessApi(s, 'Orders', { auth: ApiAuth.cognito(new cognito.UserPool(s, 'Users')), cache: { ttl: Duration.minutes(1) } });
    a.addRoute('GET', '/catalog', routeFunction(s, 'Catalog'), { cachePerCaller: false, cacheKeyHeaders: ['Accept-Language'] });
    Template.fromStack(s).hasResourceProperties(METHOD, { HttpMethod: 'GET', Integration: Match.objectLike({ CacheKeyParameters: ['method.request.header.Accept-Language'] }) });
  });

  test('a cache TTL of 0 warns: nothing is cached but the cluster is billed', () => {
    const s = createTestStack();
    withRoute(new ServerlessApi(s, 'Orders', { cache: { ttl: Duration.seconds(0) } }));
    Annotations.fromStack(s).hasWarning('/Test/Orders', Match.stringLikeRegexp('cache.ttl 0 caches nothing'));
  });
});

describe('grants and route functions', () => {
  test('TableAccess.NONE: no table permission and no table name', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders', { table: TABLE });
    const fn = routeFunction(stack, 'Health');
    api.addRoute('GET', '/health', fn);
    const template = Template.fromStack(stack);
    expect(functionStatements(template, 'Health')).toEqual([]);
    expect(fn.node.defaultChild).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: Match.absent(), Handler: 'index.handler' });
  });

  test('one function on two routes gets the union of their access, and its alarms once', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders', { table: TABLE });
    const fn = routeFunction(stack, 'OrderHandler');
    api.addRoute('GET', '/orders/{id}', fn, { access: TableAccess.READ });
    api.addRoute('PUT', '/orders/{id}', fn, { access: TableAccess.READ_WRITE });
    const template = Template.fromStack(stack);
    expect(JSON.stringify(functionStatements(template, 'OrderHandler'))).toContain('dynamodb:PutItem');
    expect(api.alarms).toHaveLength(5);
  });

  test('a ManagedPolicyRole function: grants land in its managed policy', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders', { table: TABLE });
    const role = new ManagedPolicyRole(stack, 'FnRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), role });
    api.addRoute('GET', '/orders', fn, { access: TableAccess.READ });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'] })] },
    });
  });

  test('an imported function: the grant goes to its role, and a warning asks for TABLE_NAME', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders', { table: TABLE });
    const role = createTestRole(stack, 'ImportedRole', 'lambda.amazonaws.com');
    const fn = lambda.Function.fromFunctionAttributes(stack, 'Imported', { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:get-order', role, sameEnvironment: true });
    api.addRoute('GET', '/orders', fn, { access: TableAccess.READ });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ImportedRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['dynamodb:GetItem']) })] },
    });
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('set its TABLE_NAME environment variable yourself'));
  });
});

describe('grantInvoke', () => {
  test('execute-api:Invoke on each route of the stage, routes added later included; path variables acknowledged', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders');
    api.addRoute('GET', '/orders/{id}', routeFunction(stack, 'GetOrder'));
    const caller = createTestRole(stack, 'Caller');
    api.grantInvoke(caller);
    api.addRoute('DELETE', '/orders/{id}', routeFunction(stack, 'DeleteOrder'));
    const template = Template.fromStack(stack);
    const statements = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('CallerDefaultPolicy'))![1].Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('execute-api:Invoke');
    const arns = statements[0].Resource.map((r: unknown) => JSON.stringify(r));
    expect(arns).toHaveLength(2);
    expect(arns.some((a: string) => a.includes('/GET/orders/*'))).toBe(true);
    expect(arns.some((a: string) => a.includes('/DELETE/orders/*'))).toBe(true);
    expect(arns.every((a: string) => a.includes('OrdersApiDeploymentStage'))).toBe(true);
    expect(findingSummary(stack).filter((f) => f.startsWith('IAM5'))).toEqual([]);
  });

  test('an ANY route: the method is *, acknowledged with its reason, also for a route added after the grant', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders');
    api.addRoute('ANY', '/orders', routeFunction(stack, 'OrdersFn'));
    const caller = createTestRole(stack, 'Caller');
    api.grantInvoke(caller);
    api.addRoute('ANY', '/items/{id}', routeFunction(stack, 'Items'));
    const template = Template.fromStack(stack);
    const [id, policy] = Object.entries(template.findResources('AWS::IAM::Policy')).find(([name]) => name.startsWith('CallerDefaultPolicy'))!;
    const arns = policy.Properties.PolicyDocument.Statement[0].Resource.map((r: unknown) => JSON.stringify(r));
    expect(arns.some((a: string) => a.includes('/*/orders"'))).toBe(true);
    expect(arns.some((a: string) => a.includes('/*/items/*"'))).toBe(true);
    const reasons = JSON.stringify(template.toJSON().Resources[id].Metadata);
    expect(reasons).toContain('the * stands for the method (an ANY route takes every HTTP method)');
    expect(reasons).toContain('the * stands for the method (an ANY route takes every HTTP method) and the path variables, which take any value');
    expect(findingSummary(stack).filter((f) => f.startsWith('IAM5'))).toEqual([]);
  });

  test('fails with an API that does not use IAM', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders', { auth: ApiAuth.apiKey() });
    api.addRoute('GET', '/orders', routeFunction(stack, 'List'));
    expect(() => api.grantInvoke(createTestRole(stack, 'Caller'))).toThrow(/grantInvoke applies to ApiAuth.iam\(\) only.*API_KEY/);
  });

  test('fails without a route', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders');
    expect(() => api.grantInvoke(createTestRole(stack, 'Caller'))).toThrow(/grantInvoke needs at least one route/);
  });
});

describe('account CloudWatch role', () => {
  test('CREATE chosen explicitly: no warning; two APIs in a stack share one role and one setting', () => {
    const stack = createTestStack();
    withRoute(new ServerlessApi(stack, 'A', { accountCloudWatchRole: AccountCloudWatchRole.CREATE }));
    withRoute(new ServerlessApi(stack, 'B', { accountCloudWatchRole: AccountCloudWatchRole.CREATE }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }) }, 1);
    const accountId = Object.keys(template.findResources('AWS::ApiGateway::Account'))[0];
    for (const s of Object.values(template.findResources(STAGE))) {
      expect(s.DependsOn).toEqual(expect.arrayContaining([accountId]));
    }
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('CloudWatch Logs role'))).toEqual([]);
  });

  test('two stacks of the app setting the role of one account and region: a warning on the second', () => {
    const app = createTestApp();
    const first = new Stack(app, 'First', { env: { account: '123456789012', region: 'us-east-1' } });
    const second = new Stack(app, 'Second', { env: { account: '123456789012', region: 'us-east-1' } });
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '123456789012', region: 'eu-west-1' } });
    for (const stack of [first, second, elsewhere]) {
      withRoute(new ServerlessApi(stack, 'Orders', { accountCloudWatchRole: AccountCloudWatchRole.CREATE }));
    }
    Annotations.fromStack(second).hasWarning('/Second/Orders/Api', Match.stringLikeRegexp('Second and First both set the API Gateway CloudWatch Logs role of 123456789012 in us-east-1'));
    expect(Annotations.fromStack(first).findWarning('*', Match.stringLikeRegexp('both set'))).toEqual([]);
    expect(Annotations.fromStack(elsewhere).findWarning('*', Match.stringLikeRegexp('both set'))).toEqual([]);
  });

  test('EXISTING: execution logging still on, nothing account-wide created', () => {
    const stack = createTestStack();
    withRoute(new ServerlessApi(stack, 'A', { accountCloudWatchRole: AccountCloudWatchRole.EXISTING }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }) }, 0);
    template.hasResourceProperties(STAGE, { MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR' })] });
  });
});

describe('options', () => {
  test('alarms: false creates none', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders', { table: TABLE, alarms: false });
    api.addRoute('GET', '/orders', routeFunction(stack, 'List'), { access: TableAccess.READ });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(api.alarms).toEqual([]);
  });

  test('addAlarmAction wires every alarm, those of routes added later included', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders');
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', OPS_TOPIC_ARN);
    api.addRoute('GET', '/a', routeFunction(stack, 'A'));
    api.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    Template.fromStack(stack).allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [OPS_TOPIC_ARN], OKActions: [OPS_TOPIC_ARN] });
  });

  test('logFullRequestsAndResponses turns data trace on, with a warning', () => {
    const stack = createTestStack();
    withRoute(new ServerlessApi(stack, 'Orders', { logFullRequestsAndResponses: true }));
    Template.fromStack(stack).hasResourceProperties(STAGE, { MethodSettings: [Match.objectLike({ DataTraceEnabled: true })] });
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('logs full requests and responses'));
  });

  test('a table may be destroyed with the stack when asked', () => {
    const stack = createTestStack();
    withRoute(new ServerlessApi(stack, 'Orders', { table: { ...TABLE, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false } }));
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
  });

  test('a greedy path variable and the root route', () => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders');
    api.addRoute('GET', '/', routeFunction(stack, 'Root'));
    api.addRoute('ANY', '/files/{proxy+}', routeFunction(stack, 'Files'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    template.hasResourceProperties(METHOD, { HttpMethod: 'GET', ResourceId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersApi'), 'RootResourceId'] } });
  });

  test('Tokens are not validated and reach the template unchanged', () => {
    const stack = createTestStack();
    const rate = Token.asNumber({ Ref: 'Rate' });
    const ttl = Token.asNumber({ Ref: 'Ttl' });
    const api = new ServerlessApi(stack, 'Orders', {
      auth: ApiAuth.apiKey(),
      throttle: { rateLimit: rate, burstLimit: Token.asNumber({ Ref: 'Burst' }) },
      cache: { ttl: Duration.seconds(ttl) },
      table: { ...TABLE, tableName: Token.asString({ Ref: 'TableName' }) },
      webAclArn: Token.asString({ Ref: 'Acl' }),
    });
    api.addUsagePlan('Plan', { throttle: { rateLimit: Token.asNumber({ Ref: 'PlanRate' }) }, quota: { limit: Token.asNumber({ Ref: 'Quota' }), period: apigateway.Period.DAY } });
    const cfnStage = api.stage.node.defaultChild as apigateway.CfnStage;
    expect(stack.resolve(cfnStage.methodSettings)).toEqual([expect.objectContaining({ throttlingRateLimit: { Ref: 'Rate' }, throttlingBurstLimit: { Ref: 'Burst' }, cacheTtlInSeconds: { Ref: 'Ttl' } })]);
    expect(stack.resolve((api.table!.node.defaultChild as dynamodb.CfnTable).tableName)).toEqual({ Ref: 'TableName' });
  });
});

describe('ServerlessApi validation', () => {
  const cases: Array<[string, ServerlessApiProps, RegExp]> = [
    ['fails with a stage name of other characters', { stageName: 'prod-1' }, /stageName may contain only letters, digits and underscores.*'prod-1'/],
    ['fails with a negative rate', { throttle: { rateLimit: -1 } }, /throttle.rateLimit must be 0 or more requests per second, but -1 was provided/],
    ['fails with a burst of 0', { throttle: { burstLimit: 0 } }, /throttle.burstLimit must be a whole number of at least 1, but 0 was provided/],
    ['fails with a fractional burst', { throttle: { burstLimit: 1.5 } }, /throttle.burstLimit must be a whole number of at least 1, but 1.5 was provided/],
    ['fails with a cache TTL over 3600 s', { cache: { ttl: Duration.hours(2) } }, /cache.ttl must be a whole number of seconds from 0 to 3600, but 7200 was provided/],
    ['fails with an undocumented cache size', { cache: { ttl: Duration.minutes(1), size: '2' as ApiCacheSize } }, /cache.size must be one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237 GB, but '2' was provided/],
    ['fails with a bad table name', { table: { ...TABLE, tableName: 'my table' } }, /table.tableName must be 3 to 255 letters.*'my table'/],
    ['fails with execution logging OFF', { executionLogLevel: apigateway.MethodLoggingLevel.OFF }, /executionLogLevel must be ERROR or INFO.*OFF was provided/],
    ['fails with a CloudFront web ACL on the stage', { webAclArn: GLOBAL_ACL }, /webAclArn must be the ARN of a REGIONAL web ACL/],
    ['fails with a regional web ACL of another region', { webAclArn: REGIONAL_ACL.replace('us-east-1', 'eu-west-1') }, /webAclArn must be a web ACL in the stack's region us-east-1/],
    ['fails with a regional web ACL on the distribution', { website: true, websiteWebAclArn: REGIONAL_ACL }, /websiteWebAclArn must be the ARN of a CLOUDFRONT web ACL/],
    ['fails with a CloudFront web ACL outside us-east-1', { website: true, websiteWebAclArn: GLOBAL_ACL.replace('us-east-1', 'eu-west-1') }, /websiteWebAclArn must be a web ACL in us-east-1/],
    ['fails with an error-rate threshold of 0', { serverErrorRateThreshold: 0 }, /serverErrorRateThreshold must be a share of requests above 0 and at most 1.*0 was provided/],
    ['fails with an error-rate threshold above 1', { serverErrorRateThreshold: 5 }, /serverErrorRateThreshold must be a share.*5 was provided/],
    ['fails with a latency threshold beyond the 29 s integration timeout', { latencyThreshold: Duration.seconds(30) }, /latencyThreshold must be more than 0 and at most 29 seconds.*30000 ms/],
    ['fails with a backup plan and no table', { backupPlan: backup.BackupPlan.fromBackupPlanId(new Stack(), 'P', 'plan-id') }, /backupPlan applies to the table, but no table was provided/],
    ['fails with website options without website', { websiteDomainNames: ['shop.example.com'] }, /websiteDomainNames applies only with website true/],
    ['fails with an access-log bucket of another Region (S3 server access logging stays in one)', {
      website: true,
      accessLogsBucket: s3.Bucket.fromBucketAttributes(new Stack(), 'L', { bucketName: 'logs', region: 'eu-west-1' }),
    }, /accessLogsBucket must be a bucket of this stack's Region \(us-east-1\).* is in Region eu-west-1/],
    ['fails with an access-log bucket without website', { accessLogsBucket: s3.Bucket.fromBucketName(new Stack(), 'L', 'logs') }, /accessLogsBucket applies only with website true/],
    ['fails with domain names and no certificate', { website: true, websiteDomainNames: ['shop.example.com'] }, /websiteDomainNames and websiteCertificate go together/],
    ['fails with a certificate outside us-east-1', {
      website: true,
      websiteDomainNames: ['shop.example.com'],
      websiteCertificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', CERTIFICATE.replace('us-east-1', 'eu-west-1')),
    }, /websiteCertificate must be an ACM certificate in us-east-1/],
  ];

  test.each(cases)('%s', (_name, props, message) => {
    expect(() => new ServerlessApi(createTestStack(), 'Orders', props)).toThrow(message);
  });

  test('errors name the construct path', () => {
    expect(() => new ServerlessApi(createTestStack(), 'Orders', { stageName: 'a b' })).toThrow(/^Test\/Orders: stageName/);
  });

  const routeCases: Array<[string, (api: ServerlessApi, fn: lambda.IFunction) => void, RegExp]> = [
    ['fails with an unknown method', (api, fn) => api.addRoute('FETCH', '/orders', fn), /addRoute method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, ANY, but 'FETCH' was provided/],
    ['fails with a path without a leading /', (api, fn) => api.addRoute('GET', 'orders', fn), /addRoute path must start with '\/'.*'orders' was provided/],
    ['fails with an empty segment', (api, fn) => api.addRoute('GET', '/orders//items', fn), /addRoute path segments must be letters.*'\/orders\/\/items'/],
    ['fails with a trailing /', (api, fn) => api.addRoute('GET', '/orders/', fn), /addRoute path segments must be letters.*'\/orders\/'/],
    ['fails with characters API Gateway refuses', (api, fn) => api.addRoute('GET', '/orders?x=1', fn), /addRoute path segments must be letters.*'\/orders\?x=1'/],
    ['fails with a malformed variable', (api, fn) => api.addRoute('GET', '/orders/{id', fn), /addRoute path segments must be letters.*'\/orders\/\{id'/],
    ['fails with one variable name twice in a path', (api, fn) => api.addRoute('GET', '/{id}/items/{id}', fn), /addRoute path variables must have distinct names, but '\/\{id\}\/items\/\{id\}' has \{id\} twice/],
    ['fails with a greedy variable before the end', (api, fn) => api.addRoute('GET', '/{proxy+}/x', fn), /greedy \{proxy\+\} variable only as its last segment/],
    ['fails with a duplicate route', (api, fn) => {
      api.addRoute('get', '/orders', fn);
      api.addRoute('GET', '/orders', fn);
    }, /addRoute GET \/orders is defined already/],
    ['fails with two variable names at one level', (api, fn) => {
      api.addRoute('GET', '/orders/{id}', fn);
      api.addRoute('DELETE', '/orders/{orderId}', fn);
    }, /addRoute path '\/orders\/\{orderId\}' has the variable \{orderId\} where another route has \{id\}/],
    ['fails with table access and no table', (api, fn) => api.addRoute('GET', '/orders', fn, { access: TableAccess.READ }), /asks for access READ, but the API has no table/],
    ['fails with cache true and no stage cache', (api, fn) => api.addRoute('GET', '/orders', fn, { cache: true }), /cache true needs the stage cache/],
    ['fails with cache keys on an uncached route', (api, fn) => api.addRoute('GET', '/orders', fn, { cacheKeyQueryStrings: ['q'] }), /apply to cached GET routes only/],
    ['fails with a usage plan on an IAM API', (api) => api.addUsagePlan('Plan'), /addUsagePlan\('Plan'\) applies to ApiAuth.apiKey\(\) only.*IAM/],
  ];

  test.each(routeCases)('%s', (_name, act, message) => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders');
    expect(() => act(api, routeFunction(stack, 'Fn'))).toThrow(message);
  });

  const cachedCases: Array<[string, ServerlessApiProps, (api: ServerlessApi, fn: lambda.IFunction) => void, RegExp]> = [
    ['fails with cache true on a POST route', {}, (api, fn) => api.addRoute('POST', '/orders', fn, { cache: true }), /cache applies to GET routes only.*POST was provided/],
    ['fails with cachePerCaller under IAM', {}, (api, fn) => api.addRoute('GET', '/orders', fn, { cachePerCaller: true }), /cachePerCaller applies to Cognito and API key authentication.*IAM/],
    ['fails with a bad cache-key header name', {}, (api, fn) => api.addRoute('GET', '/orders', fn, { cacheKeyHeaders: ['Accept Language'] }), /cacheKeyHeaders must hold header or query string names.*'Accept Language'/],
    ['fails with a usage plan throttle above the stage', { auth: ApiAuth.apiKey(), throttle: { rateLimit: 100, burstLimit: 50 } },
      (api) => api.addUsagePlan('Partners', { throttle: { rateLimit: 101 } }), /addUsagePlan\('Partners'\) throttle.rateLimit must not exceed the stage's throttle.rateLimit \(100\), but 101 was provided/],
    ['fails with a usage plan burst above the default stage burst', { auth: ApiAuth.apiKey() },
      (api) => api.addUsagePlan('Partners', { throttle: { burstLimit: 501 } }), /throttle.burstLimit must not exceed the stage's throttle.burstLimit \(500\), but 501/],
    ['fails with a negative usage plan rate', { auth: ApiAuth.apiKey() },
      (api) => api.addUsagePlan('Partners', { throttle: { rateLimit: -5 } }), /addUsagePlan\('Partners'\) throttle.rateLimit must be 0 or more/],
    ['fails with a quota of 0', { auth: ApiAuth.apiKey() },
      (api) => api.addUsagePlan('Partners', { quota: { limit: 0, period: apigateway.Period.DAY } }), /quota.limit must be a whole number of requests of at least 1, but 0 was provided/],
    ['fails with a quota offset not below the limit', { auth: ApiAuth.apiKey() },
      (api) => api.addUsagePlan('Partners', { quota: { limit: 100, offset: 100, period: apigateway.Period.WEEK } }), /quota.offset must be a whole number from 0 to less than quota.limit \(100\), but 100 was provided/],
    ['fails with an unknown quota period', { auth: ApiAuth.apiKey() },
      (api) => api.addUsagePlan('Partners', { quota: { limit: 100, period: 'YEAR' as apigateway.Period } }), /quota.period must be DAY, WEEK or MONTH, but 'YEAR' was provided/],
  ];

  test.each(cachedCases)('%s', (_name, props, act, message) => {
    const stack = createTestStack();
    const api = new ServerlessApi(stack, 'Orders', { cache: { ttl: Duration.minutes(1) }, ...props });
    expect(() => act(api, routeFunction(stack, 'Fn'))).toThrow(message);
  });
});
