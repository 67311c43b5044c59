// Clickstream analytics: web servers write click events to a Kinesis stream; Firehose loads them into a
// Redshift Serverless table (created for you) every minute, and a second application, a Lambda function
// with its own enhanced fan-out consumer, reacts to the same events in real time.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StreamToRedshift } from '../../src';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const stack = new Stack(app, 'ClickstreamAnalytics', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' },
});

const clicks = new StreamToRedshift(stack, 'Clicks', {
  table: {
    name: 'clicks',
    columns: [
      { name: 'event_id', dataType: 'VARCHAR(64)' },
      { name: 'user_id', dataType: 'VARCHAR(64)' },
      { name: 'page', dataType: 'VARCHAR(2048)' },
      { name: 'occurred_at', dataType: 'TIMESTAMP' },
    ],
    sortKey: ['occurred_at'],
    distKey: 'user_id',
  },
  // 2 MiB/s and 3,000 clicks/s at peak, read by Firehose: 3 provisioned shards.
  expectedThroughput: { ingressMiBPerSecond: 2, recordsPerSecond: 3000 },
  bufferingInterval: Duration.seconds(60),
});

// The web tier writes clicks.
const webRole = new iam.Role(stack, 'WebServerRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
clicks.grantWrite(webRole);

// A second consumer with its own 2 MiB/s per shard.
const logGroup = new logs.LogGroup(stack, 'RealtimeLogs', { retention: logs.RetentionDays.ONE_MONTH });
const role = new iam.Role(stack, 'RealtimeRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
logGroup.grantWrite(role);
const realtime = new lambda.Function(stack, 'Realtime', {
  runtime: lambda.Runtime.NODEJS_24_X,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(path.join(__dirname, 'handler')),
  timeout: Duration.seconds(30),
  role,
  logGroup,
});
clicks.addLambdaConsumer(realtime, { enhancedFanOut: true, batchSize: 500 });

app.synth();
