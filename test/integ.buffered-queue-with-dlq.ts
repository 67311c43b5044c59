// Integration test: a queue with its DLQ, a Lambda consumer and a cross-account sender. The snapshot is
// written without deploying (`npx projen integ:update`) and verified by `npm test`; deploying it needs an
// AWS account (`integ-runner --directory test` with credentials).
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BufferedQueueWithDlq } from '../src';

const app = new App();
const stack = new Stack(app, 'BufferedQueueWithDlqInteg');

const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { largePayloads: true });
const worker = new lambda.Function(stack, 'Worker', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
  timeout: Duration.seconds(10),
});
jobs.addLambdaConsumer(worker, { batchSize: 10 });
jobs.allowSendFrom(new iam.AccountPrincipal(stack.account), { sourceIpRanges: ['203.0.113.0/24'] });

const fifo = new BufferedQueueWithDlq(stack, 'Ordered', { fifo: true, contentBasedDeduplication: true });
fifo.grantSendMessages(worker);

new IntegTest(app, 'BufferedQueueWithDlqTest', { testCases: [stack] });
