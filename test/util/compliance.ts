import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';

/** One unacknowledged compliance finding. */
export interface ComplianceFinding {
  readonly ruleId: string;
  readonly level: string;
  readonly path: string;
  readonly message: string;
}

/** The rule packs every construct, customised stack and example is checked against. */
export const RULE_PACKS = ['AwsSolutions', 'NIST 800-53 rev 5', 'HIPAA Security', 'PCI DSS 3.2.1', 'Serverless'];

function packs() {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks(), new ServerlessChecks()];
}

/**
 * Runs the cdk-nag packs AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1 and Serverless over
 * a stack and returns every unacknowledged error and warning. The stack is synthesized first so that
 * aspects and lazy values are settled, as they are at deploy.
 */
export function complianceFindings(stack: Stack): ComplianceFinding[] {
  Template.fromStack(stack);
  return packs().flatMap((pack) => pack.validateScope(stack).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      ruleId: violation.ruleName,
      level: violation.severity ?? 'error',
      path: resource.constructPath ?? resource.resourceLogicalId ?? '(unknown)',
      message: violation.description,
    }))));
}

/** Formats findings one per line: `error AwsSolutions-SQS3 /Stack/Queue/Resource: message`. */
export function formatFindings(findings: ComplianceFinding[]): string {
  return findings.map((f) => `${f.level} ${f.ruleId} ${f.path}: ${f.message}`).join('\n');
}

/** The rule of a finding without its pack: `NIST.800.53.R5-LambdaDLQ` -> `LambdaDLQ`. */
export function ruleName(finding: ComplianceFinding): string {
  return finding.ruleId.replace(/^[^-]+-/, '');
}

function expectNone(stack: Stack, findings: ComplianceFinding[]): void {
  if (findings.length > 0) {
    throw new Error(`${findings.length} unacknowledged finding(s) in ${stack.stackName}:\n${formatFindings(findings)}`);
  }
}

/**
 * Fails the calling test when any pack reports an unacknowledged error or warning, listing rule id,
 * resource path and message for each.
 */
export function expectCompliant(stack: Stack): void {
  expectNone(stack, complianceFindings(stack));
}

/**
 * The findings of a stack as `Rule path` lines, the pack prefix dropped (NIST, HIPAA and PCI DSS share
 * rules) and the stack's path prefix dropped, sorted and unique.
 */
export function findingSummary(stack: Stack): string[] {
  const prefix = `${stack.node.path}/`;
  return [...new Set(complianceFindings(stack).map((f) =>
    `${ruleName(f)} ${f.path.replace(/^\//, '').replace(prefix, '').replace(/\/Resource$/, '')}`))].sort();
}

/**
 * Fails unless the stack's unacknowledged findings are exactly `expected` (rule without pack prefix →
 * construct paths relative to the stack, without a trailing /Resource): the findings a documented prop
 * clears, which a default stack is allowed to have.
 */
export function expectOnlyFindings(stack: Stack, expected: Record<string, string[]>): void {
  const want = Object.entries(expected).flatMap(([rule, paths]) => paths.map((p) => `${rule} ${p}`)).sort();
  expect(findingSummary(stack)).toEqual(want);
}

/**
 * The rules (pack prefix dropped) a documented prop clears: the construct's `alarmActions`, its KMS key
 * props (`encryptionKey`, `logEncryptionKey`), and a bucket of the user's own (`stagingBucket`,
 * `backupBucket`, `accessLogsBucket`, `payloadAccessLogsBucket`), and a Kinesis consumer's `onFailure`. SECURITY.md lists which prop clears
 * which finding; each construct's tests prove it on a default and a fully customised stack.
 */
export const PROP_CLEARED_RULES = [
  'CloudWatchAlarmAction', 'CloudWatchLogGroupEncrypted', 'S3DefaultEncryptionKMS', 'S3BucketReplicationEnabled', 'SecretsManagerUsingKMSKey',
  'LambdaEventSourceMappingDestination',
  // ServerlessApi: webAclArn (APIG3, APIGWAssociatedWithWAF), cache (APIGWCacheEnabledAndEncrypted), backupPlan
  // (DynamoDBInBackupPlan), websiteWebAclArn (CFR2), websiteCertificate (CFR4).
  'APIG3', 'APIGWAssociatedWithWAF', 'APIGWCacheEnabledAndEncrypted', 'DynamoDBInBackupPlan', 'CFR2', 'CFR4',
];

/** The findings of a stack that no documented prop clears. */
export function findingsNotClearedByProps(stack: Stack): ComplianceFinding[] {
  return complianceFindings(stack).filter((f) => !PROP_CLEARED_RULES.includes(ruleName(f)));
}

/**
 * Like expectCompliant, but lets findings of the rules a documented prop clears pass: for stacks that test
 * one option and leave the others at their defaults.
 */
export function expectCompliantExceptPropCleared(stack: Stack): void {
  expectNone(stack, findingsNotClearedByProps(stack));
}
