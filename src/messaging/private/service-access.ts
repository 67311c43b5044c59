import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/**
 * EventBridge's requests to KMS for an encrypted topic carry no aws:SourceAccount or aws:SourceArn: SNS
 * documents that adding them to the key policy is not supported for EventBridge-to-encrypted topics.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
const NO_SOURCE_CONDITIONS_IN_KEY_POLICY = ['events.amazonaws.com'];

/**
 * The key-policy statement SNS documents for an AWS service that publishes to a topic encrypted with a
 * customer managed key: `kms:GenerateDataKey*` and `kms:Decrypt` for the service principal (the wildcard
 * is SNS's documented action set, which covers `GenerateDataKeyWithoutPlaintext`), limited to requests
 * made for this account's resources (`aws:SourceAccount`) and, when given, to `sourceArn`.
 * @returns whether the statement was added (false for a key imported into the app)
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function allowServiceToUseTopicKey(scope: IConstruct, key: kms.IKey, service: iam.ServicePrincipal, sourceArn?: string): boolean {
  const stack = Stack.of(scope);
  const conditioned = !NO_SOURCE_CONDITIONS_IN_KEY_POLICY.includes(service.service);
  const conditions: Record<string, Record<string, unknown>> = {};
  if (conditioned) {
    conditions.StringEquals = { 'aws:SourceAccount': stack.account };
    if (sourceArn !== undefined) {
      conditions.ArnLike = { 'aws:SourceArn': sourceArn };
    }
  }
  return key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [service],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    // In a key policy, "*" means this key.
    resources: ['*'],
    ...Object.keys(conditions).length > 0 ? { conditions } : {},
  })).statementAdded;
}
