import { Annotations, ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Options of a log group made by a construct of this library. */
export interface LogGroupOptions {
  readonly retention?: logs.RetentionDays;
  /** A customer managed key; CloudWatch Logs' own encryption otherwise. */
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
  /** A physical name; CloudFormation generates one otherwise. */
  readonly logGroupName?: string;
}

/**
 * A log group kept a year unless told otherwise, encrypted with `encryptionKey` when given. CloudWatch Logs
 * encrypts every log group at rest; a customer managed key (cdk-nag CloudWatchLogGroupEncrypted) must let
 * the regional CloudWatch Logs service use it, which is added to the key policy of a key defined in this app
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
export function logGroup(scope: Construct, id: string, options: LogGroupOptions = {}): logs.LogGroup {
  if (options.encryptionKey) {
    allowCloudWatchLogs(scope, options.encryptionKey);
  }
  return new logs.LogGroup(scope, id, {
    retention: options.retention ?? logs.RetentionDays.ONE_YEAR,
    encryptionKey: options.encryptionKey,
    removalPolicy: options.removalPolicy,
    logGroupName: options.logGroupName,
  });
}

/** Keys whose policy already lets CloudWatch Logs in (a KMS key lives in one region: one statement each). */
const allowingLogs = new WeakSet<kms.IKey>();

/**
 * Lets CloudWatch Logs in the key's region use `key` for this account's log groups, once per key. A key
 * imported into the app cannot be changed here: a warning names what its policy must allow.
 */
function allowCloudWatchLogs(scope: Construct, key: kms.IKey): void {
  if (allowingLogs.has(key)) {
    return;
  }
  allowingLogs.add(key);
  const stack = Stack.of(scope);
  const service = `logs.${stack.region}.amazonaws.com`;
  const actions = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogs',
    principals: [new iam.ServicePrincipal(service)],
    actions,
    resources: ['*'], // In a key policy, "*" is the key itself.
    conditions: {
      // The encryption context names the log group: this account's log groups in this region only.
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
  if (!statementAdded) {
    Annotations.of(scope).addWarningV2('cdk-reference-patterns:key-policy-CloudWatchLogs',
      `The key ${key.keyArn} is imported: its key policy must let ${service} use it (${actions.join(', ')}), or CloudWatch Logs cannot encrypt with it.`);
  }
}
