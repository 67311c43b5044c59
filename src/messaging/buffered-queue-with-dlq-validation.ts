import { Duration, Token } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { BufferedQueueWithDlqProps } from './buffered-queue-with-dlq';
import { FIFO_SUFFIX, withFifoSuffix } from './private/fifo';
import { fail, secondsOf, validateInteger, validateName, validateSeconds, wholeSeconds } from '../core/private/validation';

// Limits SQS enforces (CreateQueue / SetQueueAttributes, AWS::SQS::Queue resource schema).
export const MAX_VISIBILITY_TIMEOUT = 43_200; // 12 hours
const MAX_WAIT_TIME = 20;
const MAX_DELIVERY_DELAY = 900; // 15 minutes
const MIN_RETENTION = 60; // 1 minute
export const MAX_RETENTION = 1_209_600; // 14 days
const MAX_RECEIVE_COUNT = 1000;
const MIN_DATA_KEY_REUSE = 60;
const MAX_DATA_KEY_REUSE = 86_400;
export const MAX_QUEUE_NAME_LENGTH = 80;
export const DLQ_SUFFIX = '-dlq';

/**
 * The construct-time rules of BufferedQueueWithDlqProps (ranges, FIFO-only props, encryption combinations),
 * called with the construct as `this` so that errors name its path. Every check skips Tokens.
 */
export function validateQueueProps(this: Construct, fifo: boolean, props: BufferedQueueWithDlqProps): void {
  for (const [prop, name] of [['queueName', props.queueName], ['deadLetterQueueName', props.deadLetterQueueName]] as const) {
    if (name === undefined) {
      continue;
    }
    // A Token with a literal '.fifo' ending (`${param}.fifo`) is checked for its suffix too.
    if (!fifo && name.endsWith(FIFO_SUFFIX)) {
      fail(this, `${prop} may end in '.fifo' only when fifo is true, but '${name}' was provided for a standard queue`);
    }
    if (Token.isUnresolved(name)) {
      continue;
    }
    const full = withFifoSuffix(fifo, name);
    const maxLength = prop === 'queueName' && props.deadLetterQueueName === undefined
      ? MAX_QUEUE_NAME_LENGTH - DLQ_SUFFIX.length // the derived DLQ name must fit too
      : MAX_QUEUE_NAME_LENGTH;
    validateName(this, prop, full.slice(0, fifo ? -FIFO_SUFFIX.length : undefined),
      maxLength - (fifo ? FIFO_SUFFIX.length : 0), /^[A-Za-z0-9_-]+$/,
      'alphanumeric characters, hyphens and underscores (plus the .fifo suffix of a FIFO queue)');
  }

  if (!fifo) {
    if (props.contentBasedDeduplication) {
      fail(this, 'contentBasedDeduplication applies only to FIFO queues, but it was set to true with fifo false');
    }
    if (props.highThroughputFifo) {
      fail(this, 'highThroughputFifo applies only to FIFO queues, but it was set to true with fifo false');
    }
  }

  validateSeconds(this, 'maxProcessingTime', props.maxProcessingTime, 0, MAX_VISIBILITY_TIMEOUT);
  validateSeconds(this, 'receiveMessageWaitTime', props.receiveMessageWaitTime, 0, MAX_WAIT_TIME);
  validateSeconds(this, 'deliveryDelay', props.deliveryDelay, 0, MAX_DELIVERY_DELAY);
  validateSeconds(this, 'retentionPeriod', props.retentionPeriod, MIN_RETENTION, MAX_RETENTION);
  validateSeconds(this, 'deadLetterRetentionPeriod', props.deadLetterRetentionPeriod, MIN_RETENTION, MAX_RETENTION);
  validateSeconds(this, 'dataKeyReuse', props.dataKeyReuse, MIN_DATA_KEY_REUSE, MAX_DATA_KEY_REUSE);
  validateInteger(this, 'maxReceiveCount', props.maxReceiveCount, 1, MAX_RECEIVE_COUNT);

  const retention = secondsOf(props.retentionPeriod ?? Duration.days(4));
  const dlqRetention = secondsOf(props.deadLetterRetentionPeriod ?? Duration.days(14));
  if (!fifo && retention !== undefined && dlqRetention !== undefined && dlqRetention <= retention) {
    if (props.deadLetterRetentionPeriod === undefined) {
      // The user set only retentionPeriod: the dead-letter queue's default is already SQS's maximum
      // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html).
      fail(this, `retentionPeriod must be less than ${MAX_RETENTION} seconds (14 days) for a standard queue, because its messages keep their original enqueue time in the dead-letter queue, whose retention cannot exceed SQS's 14-day maximum, but ${retention} seconds was provided`);
    }
    fail(this, `deadLetterRetentionPeriod must exceed retentionPeriod (${retention} seconds) because a standard queue's messages keep their original enqueue time in the dead-letter queue, but ${dlqRetention} seconds was provided`);
  }

  const threshold = wholeSeconds(this, 'oldestMessageAgeThreshold', props.oldestMessageAgeThreshold);
  if (threshold !== undefined && !Token.isUnresolved(threshold) && (threshold <= 0 || (retention !== undefined && threshold >= retention))) {
    fail(this, `oldestMessageAgeThreshold must be more than 0 and less than retentionPeriod (${retention} seconds), but ${threshold} seconds was provided`);
  }

  if (props.encryption === sqs.QueueEncryption.UNENCRYPTED) {
    fail(this, 'encryption must be KMS, KMS_MANAGED or SQS_MANAGED (queues are always encrypted at rest), but UNENCRYPTED was provided');
  }
  if (props.encryptionKey !== undefined && props.encryption !== undefined && props.encryption !== sqs.QueueEncryption.KMS) {
    fail(this, `encryptionKey requires encryption KMS, but ${props.encryption} was provided`);
  }
  if (props.dataKeyReuse !== undefined && props.encryption === sqs.QueueEncryption.SQS_MANAGED) {
    fail(this, 'dataKeyReuse applies only to KMS encryption, but encryption SQS_MANAGED was provided');
  }
  if (props.payloadAccessLogsBucket !== undefined && !props.largePayloads) {
    fail(this, 'payloadAccessLogsBucket applies only with largePayloads true, but largePayloads is false');
  }
}
