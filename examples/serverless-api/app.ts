// The notes' serverless architecture: a browser loads a static page from S3 through CloudFront and calls the
// orders API on the same distribution (/api/*). API Gateway checks each partner's API key, throttles and meters
// it with a usage plan, caches repeated reads, logs executions and access, and invokes two Lambda functions
// that read and write a DynamoDB table. Web ACLs protect the stage and the distribution, the table joins a
// daily backup plan, data and logs are encrypted with the stack's key and alarms go to the operations topic.
//
// After `cdk deploy`, upload the page: `aws s3 cp site/index.html s3://<SiteBucket output>/index.html`, and
// read the partner's key (never printed by the stack) with
// `aws apigateway get-api-keys --name-query <key name> --include-values`.
//
// The stack lives in us-east-1: CloudFront's web ACL (and a custom domain's certificate) must be there.
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import * as path from 'path';
import { App, ArnFormat, CfnOutput, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { AccountCloudWatchRole, ApiAuth, ManagedPolicyRole, ServerlessApi, TableAccess } from '../../src';
import { Baseline } from '../shared/baseline';

const app = new App();
// Every rule pack the library is checked against: AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1, Serverless.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app),
);
const stack = new Stack(app, 'ServerlessApi', { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'us-east-1' } });
const baseline = new Baseline(stack, 'Baseline');
// Names that must be given (WAF log groups, the backup vault) end in the stack's UUID: the resources are kept
// when the stack is deleted, and a new deployment must not collide with them.
const deploymentId = Fn.select(2, Fn.split('/', stack.stackId));

/**
 * A web ACL with AWS's common rule set, its requests logged to an encrypted log group (WAF requires the
 * aws-waf-logs- prefix). REGIONAL protects the API stage, CLOUDFRONT the distribution.
 */
function webAcl(scope: Construct, id: string, aclScope: 'REGIONAL' | 'CLOUDFRONT'): wafv2.CfnWebACL {
  const metric = { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true };
  const acl = new wafv2.CfnWebACL(scope, id, {
    scope: aclScope,
    defaultAction: { allow: {} },
    visibilityConfig: { ...metric, metricName: id },
    rules: [{
      name: 'AWSManagedRulesCommonRuleSet',
      priority: 0,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
      visibilityConfig: { ...metric, metricName: `${id}Common` },
    }],
  });
  const group = new logs.LogGroup(scope, `${id}Logs`, {
    logGroupName: `aws-waf-logs-${id.toLowerCase()}-${deploymentId}`,
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey: baseline.key,
  });
  new wafv2.CfnLoggingConfiguration(scope, `${id}Logging`, {
    resourceArn: acl.attrArn,
    // WAF takes the log group's ARN without the ':*' suffix of logGroupArn.
    logDestinationConfigs: [Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: group.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  });
  return acl;
}

/**
 * A route function: Node.js 24 on arm64, 256 MB, traced, its log group encrypted with the key, its rights in a
 * managed policy. What a synchronously invoked API function makes moot is acknowledged with the reason.
 */
function routeFunction(scope: Construct, id: string, handler: string): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: baseline.key });
  const role = new ManagedPolicyRole(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler,
    code: lambda.Code.fromAsset(path.join(__dirname, 'handler')),
    timeout: Duration.seconds(10),
    memorySize: 256,
    tracing: lambda.Tracing.ACTIVE,
    role,
    logGroup,
  });
  Validations.of(fn.node.defaultChild!).acknowledge(
    ...['NIST.800.53.R5', 'HIPAA.Security', 'Serverless'].map((pack) => ({
      id: `${pack}-LambdaDLQ`, reason: 'Invoked synchronously by API Gateway, never asynchronously: a failure is answered to the caller, there is no event to keep',
    })),
    ...['NIST.800.53.R5', 'HIPAA.Security'].map((pack) => ({
      id: `${pack}-LambdaConcurrency`, reason: 'The stage throttle (100 requests per second, burst 200) and the usage plan bound the invocations without reserving account concurrency',
    })),
    ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({
      id: `${pack}-LambdaInsideVPC`, reason: 'Reaches only AWS APIs (DynamoDB, X-Ray, CloudWatch Logs); no resource in a VPC',
    })),
  );
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
  });
  return fn;
}

// A daily backup plan (35 days) in a vault of its own (retained), encrypted with AWS Backup's key.
const backups = backup.BackupPlan.daily35DayRetention(stack, 'Backups', new backup.BackupVault(stack, 'BackupVault', { backupVaultName: `orders-${deploymentId}` }));

const orders = new ServerlessApi(stack, 'Orders', {
  table: { partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING } },
  auth: ApiAuth.apiKey(),
  throttle: { rateLimit: 100, burstLimit: 200 },
  cache: { ttl: Duration.minutes(5) },
  website: true,
  encryptionKey: baseline.key,
  backupPlan: backups,
  // A fresh account has no API Gateway CloudWatch Logs role: this stack sets it (and keeps it when deleted).
  accountCloudWatchRole: AccountCloudWatchRole.CREATE,
  webAclArn: webAcl(stack, 'ApiWebAcl', 'REGIONAL').attrArn,
  websiteWebAclArn: webAcl(stack, 'SiteWebAcl', 'CLOUDFRONT').attrArn,
  // The account's log archive with -c logArchiveBucket=NAME, else a log bucket in this stack (examples/shared/baseline.ts).
  accessLogsBucket: baseline.logArchive(stack),
  alarmActions: baseline.alarmActions,
});


orders.addRoute('GET', '/orders/{orderId}', routeFunction(stack, 'GetOrder', 'orders.getOrder'), { access: TableAccess.READ });
orders.addRoute('POST', '/orders', routeFunction(stack, 'CreateOrder', 'orders.createOrder'), {
  access: TableAccess.READ_WRITE,
  requestSchema: {
    type: apigateway.JsonSchemaType.OBJECT,
    required: ['item', 'quantity'],
    properties: {
      item: { type: apigateway.JsonSchemaType.STRING, maxLength: 200 },
      quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1 },
    },
    additionalProperties: false,
  },
});

// Partner A: 10 requests per second (burst 20), 10,000 a month.
orders.addUsagePlan('Partners', { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 10_000, period: apigateway.Period.MONTH } })
  .addApiKey('PartnerA', { description: 'Partner A' });

// The example serves the cloudfront.net domain, whose certificate CloudFront fixes at TLSv1: give
// websiteDomainNames and a websiteCertificate (us-east-1) for your domain, which then requires TLS 1.2.
Validations.of(orders.distribution!.node.defaultChild!).acknowledge({
  id: 'AwsSolutions-CFR4',
  reason: 'Example on the cloudfront.net domain: a custom domain with its certificate (websiteDomainNames, websiteCertificate) requires TLS 1.2',
});

new CfnOutput(stack, 'SiteUrl', { value: orders.url.replace(/api\/$/, '') });
new CfnOutput(stack, 'SiteBucket', { value: orders.websiteBucket!.bucketName });

app.synth();
