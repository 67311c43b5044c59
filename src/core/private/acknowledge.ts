import * as cdk from 'aws-cdk-lib';
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One compliance rule the architecture makes inherent, with the reason. */
export interface RuleAcknowledgment {
  /** The rule id, e.g. `AwsSolutions-SQS3`, with the finding suffix where the rule reports several. */
  readonly id: string;
  /** Why the finding is inherent and what narrows it. */
  readonly reason: string;
}

/**
 * Acknowledges compliance findings on one resource, narrowed to that resource and those rules, so that
 * users of cdk-nag see the reason instead of the finding:
 * - through aws-cdk-lib's `Validations.of(scope).acknowledge` where the installed aws-cdk-lib has it
 *   (read by cdk-nag v3, which matches a granular finding by its id `AwsSolutions-IAM5[Resource::*]`);
 * - as `cdk_nag.rules_to_suppress` metadata on the CloudFormation resource (read by cdk-nag v2, which
 *   users on older aws-cdk-lib releases run). cdk-nag v2 names a granular finding by the rule id and
 *   `applies_to` (`{ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'] }`), so a bracketed id is split.
 *   https://github.com/cdklabs/cdk-nag#suppressing-a-rule
 */
export function acknowledgeRules(resource: CfnResource, ...rules: RuleAcknowledgment[]): void {
  const validations = (cdk as unknown as { Validations?: { of(scope: IConstruct): { acknowledge(...r: RuleAcknowledgment[]): void } } }).Validations;
  if (validations !== undefined) {
    validations.of(resource).acknowledge(...rules);
  }
  const existing = (resource.getMetadata('cdk_nag') as { rules_to_suppress?: RuleAcknowledgment[] } | undefined)?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...rules.map(v2Suppression)] });
}

/** A cdk-nag v2 suppression: a granular id `Rule[finding]` becomes the rule id with `applies_to: [finding]`. */
function v2Suppression(rule: RuleAcknowledgment): { id: string; reason: string; applies_to?: string[] } {
  const granular = /^([^[]+)\[(.+)\]$/.exec(rule.id);
  return granular ? { id: granular[1], reason: rule.reason, applies_to: [granular[2]] } : { id: rule.id, reason: rule.reason };
}

/** The cdk-nag packs, as their rule ids begin. */
export type RulePack = 'AwsSolutions' | 'NIST.800.53.R5' | 'HIPAA.Security' | 'PCI.DSS.321' | 'Serverless';

/** The packs that share the AWS Config-based rules (S3BucketReplicationEnabled, LambdaInsideVPC, ...). */
export const CONFIG_PACKS: RulePack[] = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/** One acknowledgment of `rule` in each of `packs`, with the same reason. */
export function inPacks(rule: string, packs: RulePack[], reason: string): RuleAcknowledgment[] {
  return packs.map((pack) => ({ id: `${pack}-${rule}`, reason }));
}
