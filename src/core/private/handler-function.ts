import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledgeRules, CONFIG_PACKS, inPacks } from './acknowledge';
import { logGroup } from './log-groups';
import { ManagedPolicyRole } from '../managed-policy-role';

/** Options of a custom resource handler function. */
export interface HandlerFunctionOptions {
  /** `file.export` in src/handlers. */
  readonly handler: string;
  readonly description: string;
  readonly timeout: Duration;
  /** Encrypts the function's log group. */
  readonly logEncryptionKey?: kms.IKey;
}

/** A handler function with its own log group, role and managed policy. */
export interface HandlerFunction {
  readonly function: lambda.Function;
  /** The function's role: what is granted to it goes to its managed policy. */
  readonly role: ManagedPolicyRole;
}

/** Findings a deployment-time custom resource handler makes inherent, with the reasons. */
const HANDLER_ACKNOWLEDGMENTS = [
  ...inPacks('LambdaConcurrency', ['NIST.800.53.R5', 'HIPAA.Security'],
    'Custom resource handler: CloudFormation invokes it once per deployment event. Reserved concurrency would take from the account\'s unreserved pool, and fails deployment in accounts whose concurrency quota is at its minimum'),
  ...inPacks('LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security', 'Serverless'],
    'Custom resource handler: every outcome, failures included, is answered to CloudFormation and shown in the stack events; a dead-letter queue would hold events no one can replay (their response URL expires)'),
  ...inPacks('LambdaInsideVPC', CONFIG_PACKS,
    'Custom resource handler: it calls only AWS APIs (over TLS) and reaches no resource inside a VPC; in a VPC it would need a NAT gateway or interface endpoints'),
  ...inPacks('LambdaTracing', ['Serverless'],
    'Custom resource handler: one short call per deployment event, each logged with its outcome; active tracing would need an xray:PutTraceSegments grant on "*"'),
];

/**
 * A Node.js 24 (arm64) function running one of the custom resource handlers in src/handlers, with a log
 * group kept a year (encrypted when a key is given), a role of its own whose rights are in one managed
 * policy (the function depends on the role, so on its policy too), 256 MB of memory, and the findings inherent to a deployment-time handler acknowledged on it.
 */
export function handlerFunction(scope: Construct, id: string, options: HandlerFunctionOptions): HandlerFunction {
  const group = logGroup(scope, `${id}Logs`, { encryptionKey: options.logEncryptionKey });
  const role = new ManagedPolicyRole(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs ${id} of ${scope.node.path}`,
  });
  group.grantWrite(role);
  const fn = new lambda.Function(scope, id, {
    description: options.description,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: options.handler,
    // Compiled with the library (lib/handlers); the Lambda runtime provides the AWS SDK v3 they use.
    code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'handlers')),
    timeout: options.timeout,
    memorySize: 256,
    role,
    logGroup: group,
  });
  acknowledgeRules(fn.node.defaultChild as lambda.CfnFunction, ...HANDLER_ACKNOWLEDGMENTS);
  return { function: fn, role };
}

/** The CloudFormation resource of a role's managed policy, for acknowledgments on it. */
export function policyResource(role: ManagedPolicyRole): iam.CfnManagedPolicy {
  return (role.permissionsPolicy as iam.ManagedPolicy).node.defaultChild as iam.CfnManagedPolicy;
}
