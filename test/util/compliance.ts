import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

/** One unacknowledged compliance finding. */
export interface ComplianceFinding {
  readonly ruleId: string;
  readonly level: string;
  readonly path: string;
  readonly message: string;
}

/**
 * Runs the cdk-nag AwsSolutions pack over a stack and returns every unacknowledged error and warning.
 * The stack is synthesized first so that aspects and lazy values are settled, as they are at deploy.
 */
export function complianceFindings(stack: Stack): ComplianceFinding[] {
  Template.fromStack(stack);
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      ruleId: violation.ruleName,
      level: violation.severity ?? 'error',
      path: resource.constructPath ?? resource.resourceLogicalId ?? '(unknown)',
      message: violation.description,
    })),
  );
}

/** Formats findings one per line: `error AwsSolutions-SQS3 /Stack/Queue/Resource: message`. */
export function formatFindings(findings: ComplianceFinding[]): string {
  return findings.map((f) => `${f.level} ${f.ruleId} ${f.path}: ${f.message}`).join('\n');
}

/**
 * Fails the calling test when the AwsSolutions pack reports any unacknowledged error or warning, listing
 * rule id, resource path and message for each.
 */
export function expectCompliant(stack: Stack): void {
  const findings = complianceFindings(stack);
  if (findings.length > 0) {
    throw new Error(`${findings.length} unacknowledged AwsSolutions finding(s) in ${stack.stackName}:\n${formatFindings(findings)}`);
  }
}
