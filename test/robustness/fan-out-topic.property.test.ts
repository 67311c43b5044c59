// Generator definitions read best on one line each.
/* eslint-disable @stylistic/max-len */
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as fc from 'fast-check';
import { checkCase, durationSeconds, numberToken, OPS_ALARM_ACTION, optional, PROPERTY_RUNS, runProperty, stringToken } from './property';
import { FanOutTopic } from '../../src';
import { createTestFunction, createTestStack } from '../util';

const PROPS = ['topicName', 'displayName', 'contentBasedDeduplication', 'publishers', 'queue.fifo', 'queue.encryption', 'filterPolicy',
  'url', 'address', 'deliveryPolicy', 'addLambda', 'addHttpsEndpoint', 'addEmail', 'addExistingQueue', 'maxReceiveCount', 'retentionPeriod',
  'deadLetterRetentionPeriod', 'queueName', 'alarmActions', 'deadLetterQueue', 'addQueue'];

const filterPolicy = fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 20 }).map((allowlist) => sns.SubscriptionFilter.stringFilter({ allowlist })) },
  // Numeric matching, now and then with a value JSON cannot hold (refused: it would render as null).
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constantFrom(Infinity, -Infinity, NaN)).map((greaterThan) => sns.SubscriptionFilter.numericFilter({ greaterThan })) },
), { maxKeys: 7 });

const caseArb = fc.record({
  topic: fc.record({
    topicName: optional(fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,260}$/), fc.constantFrom('orders.fifo', 'bad name'),
      // A deploy-time name: bare (.fifo appended for FIFO) or with a literal .fifo (refused for a standard topic).
      fc.tuple(stringToken, fc.constantFrom('', '.fifo')).map(([t, suffix]) => `${t}${suffix}`))),
    displayName: optional(fc.string({ maxLength: 110 })),
    fifo: optional(fc.boolean()),
    contentBasedDeduplication: optional(fc.boolean()),
    alarms: optional(fc.boolean()),
    alarmActions: optional(fc.boolean()),
    otherPublisher: optional(fc.boolean()),
  }, { requiredKeys: [] }),
  queues: fc.array(fc.record({
    filter: optional(filterPolicy),
    raw: optional(fc.boolean()),
    fifo: optional(fc.boolean()),
    encryption: optional(fc.constantFrom(sqs.QueueEncryption.KMS, sqs.QueueEncryption.SQS_MANAGED, sqs.QueueEncryption.KMS_MANAGED)),
    maxReceiveCount: optional(fc.oneof(fc.integer({ min: 0, max: 1001 }), numberToken)),
    // An id of its own, or now and then one taken by an earlier queue, its subscription or a part of the topic.
    id: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('Q0', 'Q0Subscription', 'Topic', 'Key') }),
    // A deploy-time queue name, bare or with a literal .fifo.
    queueName: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(stringToken, fc.constantFrom('', '.fifo')).map(([t, suffix]) => `${t}${suffix}`) }),
  }, { requiredKeys: [] }), { maxLength: 3 }),
  lambda: optional(fc.boolean()),
  https: optional(fc.record({
    url: fc.oneof(fc.webUrl({ validSchemes: ['https'] }), fc.constantFrom('http://example.com', 'https://example.com/hook')),
    retries: optional(fc.integer({ min: -1, max: 101 })),
    backoff: optional(fc.constantFrom(sns.BackoffFunction.LINEAR, sns.BackoffFunction.EXPONENTIAL, sns.BackoffFunction.GEOMETRIC)),
    minDelay: optional(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 3601 }).map((v) => Duration.seconds(v)) }, { weight: 1, arbitrary: durationSeconds(1, 3600) })),
    maxDelay: optional(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 3601 }).map((v) => Duration.seconds(v)) }, { weight: 1, arbitrary: durationSeconds(1, 3600) })),
    throttle: optional(fc.integer({ min: 0, max: 10 })),
  }, { requiredKeys: ['url'] })),
  email: optional(fc.oneof(fc.emailAddress(), fc.constantFrom('not-an-address'))),
  // The same address subscribed again: refused, naming addEmail.
  emailTwice: optional(fc.boolean()),
  existingFifo: optional(fc.boolean()),
  existingDlqFifo: optional(fc.boolean()),
});

describe('FanOutTopic properties', () => {
  test(`${PROPERTY_RUNS} generated fan-outs synthesize cleanly or fail with an error naming a prop`, () => {
    const tally = runProperty(caseArb, (c) => checkCase((stack) => {
      const { otherPublisher, alarmActions, ...topicProps } = c.topic;
      const topic = new FanOutTopic(stack, 'Orders', {
        ...topicProps,
        alarmActions: alarmActions ? [OPS_ALARM_ACTION] : undefined,
        publishers: otherPublisher ? [new iam.AccountPrincipal('210987654321')] : undefined,
      });
      c.queues.forEach((q, i) => topic.addQueue(q.id ?? `Q${i}`, {
        filterPolicy: q.filter,
        rawMessageDelivery: q.raw,
        queue: { fifo: q.fifo, encryption: q.encryption, maxReceiveCount: q.maxReceiveCount, queueName: q.queueName },
      }));
      if (c.lambda) {
        topic.addLambda(createTestFunction(stack, 'Handler'));
      }
      if (c.https) {
        const h = c.https;
        topic.addHttpsEndpoint(h.url, {
          deliveryPolicy: {
            healthyRetryPolicy: {
              numRetries: h.retries,
              minDelayTarget: h.minDelay,
              maxDelayTarget: h.maxDelay,
              backoffFunction: h.backoff,
            },
            throttlePolicy: h.throttle === undefined ? undefined : { maxReceivesPerSecond: h.throttle },
          },
        });
      }
      if (c.email !== undefined) {
        topic.addEmail(c.email);
        if (c.emailTwice) {
          topic.addEmail(c.email);
        }
      }
      if (c.existingFifo !== undefined) {
        const existingDlq = new sqs.Queue(stack, 'ExistingDlq', { fifo: c.existingFifo || undefined, enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
        Validations.of(existingDlq).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: 'test fixture: the user\'s own dead-letter queue' });
        const subscriptionDlq = c.existingDlqFifo === undefined ? undefined : new sqs.Queue(stack, 'SubscriptionDlq', { fifo: c.existingDlqFifo || undefined, enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
        if (subscriptionDlq !== undefined) {
          Validations.of(subscriptionDlq).acknowledge(...['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'].map((id) => ({ id, reason: 'test fixture: the user\'s own subscription dead-letter queue' })));
        }
        topic.addExistingQueue(new sqs.Queue(stack, 'Existing', { fifo: c.existingFifo || undefined, enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED, deadLetterQueue: { queue: existingDlq, maxReceiveCount: 5 } }), { deadLetterQueue: subscriptionDlq });
      }
    }, () => createTestStack(), PROPS));
    expect(tally.synthesized).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});
