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
}

/**
 * A log group kept a year unless told otherwise, encrypted with `encryptionKey` when given. CloudWatch Logs
 * encrypts every log group at rest; a customer managed key (cdk-nag CloudWatchLogGroupEncrypted) must let
 * the regional CloudWatch Logs service use it, which is added to the key policy of a key defined in this app
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
export function logGroup(scope: Construct, id: string, options: LogGroupOptions = {}): logs.LogGroup {
  if (options.encryptionKey) {
    allowService(scope, options.encryptionKey, `logs.${Stack.of(scope).region}.amazonaws.com`, 'CloudWatchLogs',
      ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], {
        // The encryption context names the log group: this account's log groups in this region only.
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      });
  }
  return new logs.LogGroup(scope, id, {
    retention: options.retention ?? logs.RetentionDays.ONE_YEAR,
    encryptionKey: options.encryptionKey,
    removalPolicy: options.removalPolicy,
  });
}

/** The services each key already lets in, so that a key shared by several constructs gets one statement. */
const allowed = new WeakMap<kms.IKey, Set<string>>();

/**
 * Lets an AWS service principal use `key` under `conditions`, once per key and service. A key imported
 * into the app cannot be changed here: a warning names what its policy must allow.
 */
export function allowService(scope: Construct, key: kms.IKey, servicePrincipal: string, name: string, actions: string[],
  conditions: Record<string, Record<string, unknown>>): void {
  const services = allowed.get(key) ?? new Set<string>();
  allowed.set(key, services);
  if (services.has(servicePrincipal)) {
    return;
  }
  services.add(servicePrincipal);
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `Allow${name}`,
    principals: [new iam.ServicePrincipal(servicePrincipal)],
    actions,
    resources: ['*'], // In a key policy, "*" is the key itself.
    conditions,
  }));
  if (!statementAdded) {
    Annotations.of(scope).addWarningV2(`cdk-reference-patterns:key-policy-${name}`,
      `The key ${key.keyArn} is imported: its key policy must let ${servicePrincipal} use it (${actions.join(', ')}), or ${name} cannot encrypt with it.`);
  }
}
