import { App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';

/** The account and region every test stack is pinned to, so templates and snapshots are deterministic. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' };

/**
 * An App with the feature flags aws-cdk-lib recommends for new projects. Among them,
 * `@aws-cdk/core:validateAgainstDefaultRules` turns aws-cdk-lib's CloudFormation schema validation at
 * synth into errors, so a property value outside its schema fails the test that synthesizes it.
 */
export function createTestApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: {
      ...cxapi.CURRENTLY_RECOMMENDED_FLAGS,
      ...cxapi.NEW_PROJECT_DEFAULT_CONTEXT,
      // Warnings stay Annotations that tests assert (Annotations.fromStack), instead of also being printed by
      // synthesis as a validation report on the console (noise that reads like a failure). Errors still throw.
      [cxapi.ANNOTATIONS_IN_VALIDATION_REPORT]: false,
      ...context,
    },
  });
}

/** A stack in its own test App (or in `app` when given), in the fixed test account and region. */
export function createTestStack(id = 'Test', props: StackProps = {}, app: App = createTestApp()): Stack {
  return new Stack(app, id, { env: TEST_ENV, ...props });
}

/**
 * A Lambda function for tests that consume from a construct. Its own compliance findings (the AWS-managed
 * basic execution policy) belong to the test
 * fixture, not to the construct under test, so they are acknowledged here.
 */
export function createTestFunction(scope: Construct, id: string, timeout?: Duration): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
    timeout,
  });
  Validations.of(fn).acknowledge({ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'test fixture' });
  // The fixture's own configuration (not the construct's): concurrency, DLQ, VPC, tracing, memory.
  const fixtureRules = [
    ...['NIST.800.53.R5', 'HIPAA.Security'].flatMap((pack) => [`${pack}-LambdaConcurrency`, `${pack}-LambdaDLQ`]),
    ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => `${pack}-LambdaInsideVPC`),
    'Serverless-LambdaDLQ', 'Serverless-LambdaTracing', 'Serverless-LambdaDefaultMemorySize', 'Serverless-LambdaDefaultTimeout',
  ];
  Validations.of(fn.node.defaultChild!).acknowledge(...fixtureRules.map((rule) => ({ id: rule, reason: 'test fixture' })));
  // With the @aws-cdk/aws-lambda:useCdkManagedLogGroup flag the fixture gets a log group of its own.
  const group = fn.node.tryFindChild('LogGroup');
  if (group) {
    Validations.of(group).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-CloudWatchLogGroupEncrypted`, reason: 'test fixture' })));
  }
  // Grants made by the construct under test land in the fixture's inline default policy.
  Validations.of(fn.role!).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-IAMNoInlinePolicy`, reason: 'test fixture' })));
  return fn;
}

/** An SNS topic for alarm actions, imported by ARN so that it adds no resource of its own to a test stack. */
export const OPS_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:ops-alarms';

/**
 * A role standing for the user's own principal in grant tests. Grants put statements in its inline
 * default policy: that is the user's choice (IAMNoInlinePolicy), acknowledged as the fixture's.
 */
export function createTestRole(scope: Construct, id: string, service = 'ec2.amazonaws.com'): iam.Role {
  const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal(service) });
  Validations.of(role).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-IAMNoInlinePolicy`, reason: 'test fixture' })));
  return role;
}
