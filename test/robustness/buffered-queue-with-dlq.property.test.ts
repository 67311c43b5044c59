// Generator definitions read best on one line each.
/* eslint-disable @stylistic/max-len */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as fc from 'fast-check';
import { checkCase, durationSeconds, listElementToken, listToken, numberToken, OPS_ALARM_ACTION, optional, PROPERTY_RUNS, runProperty, stringToken } from './property';
import { BufferedQueueWithDlq, BufferedQueueWithDlqProps } from '../../src';
import { createTestFunction, createTestStack } from '../util';

const PROPS = ['queueName', 'deadLetterQueueName', 'contentBasedDeduplication', 'highThroughputFifo', 'maxProcessingTime',
  'receiveMessageWaitTime', 'retentionPeriod', 'deliveryDelay', 'maxReceiveCount', 'deadLetterRetentionPeriod', 'encryption',
  'encryptionKey', 'dataKeyReuse', 'oldestMessageAgeThreshold', 'payloadAccessLogsBucket', 'maxBatchingWindow', 'sourceIpRanges',
  'notAfter', 'acceptableBacklogPerInstance', 'alarmActions', 'batchSize', 'allowSendFrom', 'maxConcurrency', 'estimatedInstanceWarmup',
  'addLambdaConsumer', 'scaleOnBacklog'];

/** Seconds around the edges of SQS's ranges, plus the occasional deploy-time Token. */
const seconds = fc.oneof(
  fc.constantFrom(0, 1, 20, 21, 59, 60, 900, 901, 43_200, 43_201, 86_400, 345_600, 1_209_600, 1_209_601),
  fc.integer({ min: 0, max: 1_300_000 }),
).map((s) => Duration.seconds(s));
const duration = fc.oneof({ weight: 9, arbitrary: seconds }, { weight: 1, arbitrary: numberToken.map((t) => Duration.seconds(t)) });
/**
 * Mostly inside [min, max] seconds, sometimes just outside, sometimes a Token (in seconds, or in minutes:
 * refused), NaN, Infinity or a fraction of a second (refused, naming the prop).
 */
function durationIn(min: number, max: number): fc.Arbitrary<Duration> {
  return fc.oneof({ weight: 9, arbitrary: durationSeconds(min, max) }, { weight: 1, arbitrary: duration });
}
/** Unset most of the time, so that each case tends to vary a few props and both outcomes occur. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  // Set one time in four (fc.option's freq is the odds of nil, so it would set three times in four).
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}
const name = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/) },
  { weight: 1, arbitrary: fc.constantFrom('jobs.fifo', 'bad name', '', 'q'.repeat(76), 'q'.repeat(80)) },
  // A deploy-time name: bare (.fifo appended for FIFO) or with a literal .fifo (refused for a standard queue).
  { weight: 1, arbitrary: fc.tuple(stringToken, fc.constantFrom('', '.fifo', '-jobs')).map(([t, suffix]) => `${t}${suffix}`) },
);

const propsArb: fc.Arbitrary<BufferedQueueWithDlqProps> = fc.record({
  queueName: rarely(name),
  deadLetterQueueName: rarely(name),
  fifo: optional(fc.boolean()),
  contentBasedDeduplication: rarely(fc.constant(true)),
  highThroughputFifo: rarely(fc.constant(true)),
  maxProcessingTime: rarely(durationIn(0, 43200)),
  receiveMessageWaitTime: rarely(durationIn(0, 20)),
  retentionPeriod: rarely(durationIn(60, 1209600)),
  deliveryDelay: rarely(durationIn(0, 900)),
  maxReceiveCount: rarely(fc.oneof(fc.integer({ min: -1, max: 1001 }), fc.constantFrom(2.5, NaN, Infinity), numberToken)),
  deadLetterRetentionPeriod: rarely(durationIn(60, 1209600)),
  encryption: rarely(fc.constantFrom(sqs.QueueEncryption.KMS, sqs.QueueEncryption.KMS_MANAGED, sqs.QueueEncryption.SQS_MANAGED, sqs.QueueEncryption.UNENCRYPTED)),
  dataKeyReuse: rarely(durationIn(60, 86400)),
  removalPolicy: rarely(fc.constantFrom(RemovalPolicy.DESTROY, RemovalPolicy.RETAIN)),
  alarms: rarely(fc.boolean()),
  deadLetterAlarm: rarely(fc.boolean()),
  oldestMessageAgeAlarm: rarely(fc.boolean()),
  oldestMessageAgeThreshold: rarely(durationIn(1, 3600)),
  largePayloads: rarely(fc.boolean()),
  alarmActions: rarely(fc.constant(null).map(() => [OPS_ALARM_ACTION])),
}, { requiredKeys: [] });

const methodsArb = fc.record({
  consumerTimeout: optional(fc.integer({ min: 1, max: 900 })),
  batchingWindow: optional(fc.integer({ min: 0, max: 400 })),
  batchSize: optional(fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(0, 11, 100, 10_000, 10_001))),
  maxConcurrency: rarely(fc.oneof(fc.integer({ min: 2, max: 1000 }), fc.constantFrom(0, 1, 1001, 2.5, Infinity), numberToken)),
  // The same function added again: refused, naming addLambdaConsumer.
  consumerTwice: rarely(fc.constant(true)),
  senderAccount: optional(fc.constantFrom('210987654321', '123456789012')),
  // Literal ranges (some invalid), a list Token (passed through), or Token elements beside literal ones.
  sourceIpRanges: optional(fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.oneof(fc.ipV4().map((ip) => `${ip}/24`), fc.constantFrom('10.0.0.0/33', 'nonsense', '2001:db8::/32')), { maxLength: 3 }) },
    { weight: 1, arbitrary: listToken },
    { weight: 1, arbitrary: fc.array(fc.oneof(listElementToken, fc.constantFrom('203.0.113.0/24', 'nonsense')), { minLength: 1, maxLength: 3 }) },
  )),
  scale: rarely(fc.record({
    target: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, Infinity, NaN, 0.5) }, { weight: 1, arbitrary: numberToken }),
    warmup: optional(durationSeconds(0, 86_400)),
    twice: rarely(fc.constant(true)),
  })),
});

describe('BufferedQueueWithDlq properties', () => {
  test(`${PROPERTY_RUNS} generated prop sets synthesize cleanly or fail with an error naming a prop`, () => {
    const tally = runProperty(fc.tuple(propsArb, methodsArb), ([props, methods]) => checkCase((stack) => {
      const queue = new BufferedQueueWithDlq(stack, 'Jobs', props);
      if (methods.consumerTimeout !== undefined) {
        const fn = createTestFunction(stack, 'Worker', Duration.seconds(methods.consumerTimeout));
        queue.addLambdaConsumer(fn, { batchSize: methods.batchSize, maxConcurrency: methods.maxConcurrency, maxBatchingWindow: methods.batchingWindow === undefined ? undefined : Duration.seconds(methods.batchingWindow) });
        if (methods.consumerTwice) {
          queue.addLambdaConsumer(fn);
        }
      }
      if (methods.sourceIpRanges !== undefined) {
        queue.allowSendFrom(new iam.AccountPrincipal(methods.senderAccount ?? '210987654321'), { sourceIpRanges: methods.sourceIpRanges });
      }
      if (methods.scale !== undefined) {
        const group = autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Workers', 'workers');
        const options = { acceptableBacklogPerInstance: methods.scale.target, estimatedInstanceWarmup: methods.scale.warmup };
        queue.scaleOnBacklog(group, options);
        if (methods.scale.twice) {
          queue.scaleOnBacklog(group, options);
        }
      }
    }, () => createTestStack(), PROPS));
    // Both outcomes must occur, or the generator explores only one side.
    expect(tally.synthesized).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});
