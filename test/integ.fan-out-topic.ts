// Integration test: an orders topic fanning out to two queues (one filtered), an HTTPS endpoint and an
// email address. The snapshot is written without deploying (`npx projen integ:update`) and verified by
// `npm test`.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FanOutTopic } from '../src';

const app = new App();
const stack = new Stack(app, 'FanOutTopicInteg');

const orders = new FanOutTopic(stack, 'Orders');
orders.addQueue('Processing');
orders.addQueue('Analytics', { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) } });
orders.addHttpsEndpoint('https://example.com/orders-hook', {
  deliveryPolicy: { healthyRetryPolicy: { numRetries: 5, minDelayTarget: Duration.seconds(5), maxDelayTarget: Duration.seconds(60) } },
});
orders.addEmail('ops@example.com');

const ordered = new FanOutTopic(stack, 'OrderedEvents', { fifo: true, contentBasedDeduplication: true });
ordered.addQueue('Ledger');

new IntegTest(app, 'FanOutTopicTest', { testCases: [stack] });
