import { Annotations, ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeRules } from '../../core/private/acknowledge';

/** Construct ID of the per-stack singleton, as a child of the stack. */
const SINGLETON_ID = 'ApiGatewayCloudWatchLogging';

/**
 * What the account-level role needs: the actions of the AWS managed policy
 * AmazonAPIGatewayPushToCloudWatchLogs, which API Gateway documents for execution and access logging.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 */
const PUSH_TO_CLOUDWATCH_LOGS = [
  'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams',
  'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents',
];

/**
 * The region's API Gateway CloudWatch Logs role, set once per stack (every ServerlessApi of the stack shares
 * it): a role API Gateway assumes, whose rights (the actions above, on this account's log groups in this
 * region) are in a managed policy, and the `AWS::ApiGateway::Account` setting that names it. Both are
 * RETAINED on stack deletion: the setting is per account and region and serves every REST API there, so
 * deleting the role would silently stop execution and access logging of every other API in the region
 * (deleting the Account resource does not unset the setting either).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-account.html
 */
export function accountCloudWatchLogging(api: apigateway.RestApi): apigateway.CfnAccount {
  const stack = Stack.of(api);
  const existing = stack.node.tryFindChild(SINGLETON_ID);
  if (existing) {
    return existing.node.findChild('Account') as apigateway.CfnAccount;
  }
  const scope = new Construct(stack, SINGLETON_ID);
  const role = new ManagedPolicyRole(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: 'API Gateway writes execution and access logs of every REST API in this region with this role (retained on stack deletion)',
  });
  const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: PUSH_TO_CLOUDWATCH_LOGS, resources: [logGroups, `${logGroups}:log-stream:*`] }));
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const policy = (role.permissionsPolicy as iam.ManagedPolicy).node.defaultChild as iam.CfnManagedPolicy;
  policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
  acknowledgeRules(policy, ...[logGroups, `${logGroups}:log-stream:*`].map((arn) => ({
    id: `AwsSolutions-IAM5[Resource::${nagArn(stack, arn)}]`,
    reason: 'The account-level API Gateway logging role writes the execution and access logs of every REST API of this account in this region, to log groups named at run time (API-Gateway-Execution-Logs_<api id>/<stage> and each API\'s access log group): narrowed to this account and region',
  })));

  // One setting per account and region: another stack of the app that makes it too would overwrite it.
  const others = stack.node.root.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c !== stack
    && c.node.tryFindChild(SINGLETON_ID) !== undefined && sameEnvironment(c, stack));
  for (const other of others) {
    Annotations.of(api).addWarningV2('cdk-reference-patterns:accountCloudWatchRoleTwice',
      `${stack.stackName} and ${other.stackName} both set the API Gateway CloudWatch Logs role of ${envName(stack)} (the last deployed wins, both roles are retained): pass accountCloudWatchRole: EXISTING in all but one`);
  }

  const account = new apigateway.CfnAccount(scope, 'Account', { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // API Gateway checks the role's trust and permissions when the setting is made: the policy must be attached
  // first. In an account that never had an API Gateway resource, the Account resource also needs one to exist.
  account.node.addDependency(role);
  account.node.addDependency(api.node.defaultChild as apigateway.CfnRestApi);
  return account;
}

/** Whether two stacks may deploy to the same account and region (environment-agnostic parts may be anything). */
function sameEnvironment(a: Stack, b: Stack): boolean {
  const same = (x: string, y: string) => Token.isUnresolved(x) || Token.isUnresolved(y) || x === y;
  return same(a.account, b.account) && same(a.region, b.region);
}

function envName(stack: Stack): string {
  return Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region) ? 'the deploy-time account and region' : `${stack.account} in ${stack.region}`;
}

/** An ARN as cdk-nag prints it in finding IDs: pseudo parameters as <AWS::Region> and the like. */
export function nagArn(stack: Stack, arn: string): string {
  const resolved = stack.resolve(arn);
  if (typeof resolved === 'string') {
    return resolved;
  }
  const parts: unknown[] = resolved['Fn::Join']?.[1] ?? [];
  return parts.map((p) => {
    if (typeof p === 'string') {
      return p;
    }
    const getAtt = (p as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
    return getAtt ? `<${getAtt.join('.')}>` : `<${(p as { Ref: string }).Ref}>`;
  }).join('');
}
