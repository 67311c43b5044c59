import * as fs from 'fs';
import * as path from 'path';
import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledgeRules, CONFIG_PACKS, inPacks } from './acknowledge';
import { logGroup } from './log-groups';
import { ManagedPolicyRole } from '../managed-policy-role';

/**
 * How long a handler function may run. It answers CloudFormation itself before this ends (it keeps 20
 * seconds back), and a Transit Gateway attachment or a Redshift statement on a resuming workgroup settles
 * well within it.
 */
export const HANDLER_TIMEOUT = Duration.minutes(14);

/**
 * How long CloudFormation waits for a custom resource's answer (its ServiceTimeout, 1-3600 seconds; an hour
 * when unset, and another hour on rollback): a little above the function's timeout, so that a function that
 * cannot answer (killed by Lambda) fails the deployment in 15 minutes, not in an hour.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-customresource.html
 */
export const CUSTOM_RESOURCE_SERVICE_TIMEOUT = Duration.minutes(15);

/** Where the bundled handlers are: assets/handlers/<name>/index.js at the package root (see .projenrc.ts). */
const BUNDLES = path.join(__dirname, '..', '..', '..', 'assets', 'handlers');

/** Options of a custom resource handler function. */
export interface HandlerFunctionOptions {
  /** The handler's bundle: the name of its file in src/handlers, without `.ts` (e.g. `table`). */
  readonly bundle: string;
  readonly description: string;
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

/** The folder of a handler's bundle; an error naming the command that builds it when it is missing. */
export function handlerBundle(bundle: string): string {
  const dir = path.join(BUNDLES, bundle);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`the custom resource handler bundle ${path.join('assets', 'handlers', bundle, 'index.js')} is missing: run \`npx projen bundle\` (npm test, npm run examples and the build run it for you)`);
  }
  return dir;
}

/**
 * A Node.js 24 (arm64) function running one of the bundled custom resource handlers (JavaScript, one file
 * holding only what that handler loads), with a log group kept a year (encrypted when a key is given), a
 * role of its own whose rights are in one managed policy (the function depends on the role, so on its policy
 * too), 256 MB of memory, no asynchronous retries (CloudFormation invokes it asynchronously: a retry would
 * run a half-done request again after it was answered), and the findings inherent to a deployment-time
 * handler acknowledged on it.
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
    handler: 'index.handler',
    // The Lambda Node.js runtime provides the AWS SDK v3 the handlers load.
    code: lambda.Code.fromAsset(handlerBundle(options.bundle)),
    timeout: HANDLER_TIMEOUT,
    memorySize: 256,
    retryAttempts: 0,
    role,
    logGroup: group,
  });
  acknowledgeRules(fn.node.defaultChild as lambda.CfnFunction, ...HANDLER_ACKNOWLEDGMENTS);
  const invokeConfig = fn.node.findChild('EventInvokeConfig').node.defaultChild as lambda.CfnEventInvokeConfig;
  acknowledgeRules(invokeConfig, ...inPacks('LambdaAsyncFailureDestination', ['Serverless'],
    'Custom resource handler: CloudFormation invokes it asynchronously and it answers every outcome, failures included, to CloudFormation itself; retries are off so a half-done request never runs twice, and an on-failure destination would hold events whose response URL has expired'));
  return { function: fn, role };
}

/** Properties of a custom resource answered by one of the handler functions. */
export interface HandlerResourceProps {
  readonly handler: lambda.IFunction;
  readonly resourceType: string;
  readonly properties: Record<string, unknown>;
}

/** A custom resource of a handler function, with the library's ServiceTimeout. */
export function handlerResource(scope: Construct, id: string, props: HandlerResourceProps): CustomResource {
  return new CustomResource(scope, id, {
    serviceToken: props.handler.functionArn,
    resourceType: props.resourceType,
    properties: props.properties,
    serviceTimeout: CUSTOM_RESOURCE_SERVICE_TIMEOUT,
  });
}

/** The CloudFormation resource of a role's managed policy, for acknowledgments on it. */
export function policyResource(role: ManagedPolicyRole): iam.CfnManagedPolicy {
  return (role.permissionsPolicy as iam.ManagedPolicy).node.defaultChild as iam.CfnManagedPolicy;
}
