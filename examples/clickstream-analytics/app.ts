// Clickstream analytics: web servers write click events to a Kinesis stream; Firehose loads them into a
// Redshift Serverless table (created for you) every 15 minutes (a COPY every minute would bill the workgroup
// around the clock: see the README's StreamToRedshift costs), and a second application, a Lambda function
// with its own enhanced fan-out consumer, reacts to the same events in real time. Stream, buckets, secret
// and logs are encrypted with the stack's key; alarms go to the operations topic; the staging bucket's
// access logs go to the account's log archive.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { BufferedQueueWithDlq, ManagedPolicyRole, StreamToRedshift } from '../../src';
import { Baseline } from '../shared/baseline';
import { ExampleFlow } from '../shared/flow';

const app = new App();
// Every rule pack the library is checked against: AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1, Serverless.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app),
);
const stack = new Stack(app, 'ClickstreamAnalytics', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' },
});
const baseline = new Baseline(stack, 'Baseline');

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
  encryptionKey: baseline.key,
  // The account's log archive with -c logArchiveBucket=NAME, else a log bucket in this stack (examples/shared/baseline.ts).
  accessLogsBucket: baseline.logArchive(stack),
  alarmActions: baseline.alarmActions,
});


// The web tier writes clicks.
const webRole = new ManagedPolicyRole(stack, 'WebServerRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
clicks.grantWrite(webRole);

// A second consumer with its own 2 MiB/s per shard; batches that keep failing are recorded in a queue.
const realtime = baseline.consumerFunction(stack, 'Realtime', {
  code: lambda.Code.fromAsset(path.join(__dirname, 'handler')), timeout: Duration.seconds(30), source: 'Kinesis',
});
const failedBatches = new BufferedQueueWithDlq(stack, 'RealtimeFailures', {
  encryption: sqs.QueueEncryption.SQS_MANAGED, alarmActions: baseline.alarmActions,
});
clicks.addLambdaConsumer(realtime, { enhancedFanOut: true, batchSize: 500, onFailure: new SqsDlq(failedBatches.queue) });

// For the README diagram: the web tier writing clicks, and where the real-time consumer's failed batches go.
const flow = new ExampleFlow(stack);
flow.edge(flow.node('WebServers', 'client', 'web servers', { detail: 'EC2, WebServerRole' }), clicks.stream, 'PutRecords');
flow.edge(realtime, failedBatches.queue, 'failed batches', 'failure');

app.synth();
