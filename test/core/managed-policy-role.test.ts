import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ManagedPolicyRole } from '../../src';
import { createTestStack, findingSummary } from '../util';

describe('ManagedPolicyRole', () => {
  const stack = createTestStack();
  const role = new ManagedPolicyRole(stack, 'WorkerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const queue = new sqs.Queue(stack, 'Jobs', { enforceSSL: true });
  queue.grantConsumeMessages(role);
  role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:ListQueues'], resources: ['*'] }));
  const fn = new lambda.Function(stack, 'Worker', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'), role,
  });
  const template = Template.fromStack(stack);
  const policyId = stack.getLogicalId(role.permissionsPolicy!.node.defaultChild as iam.CfnManagedPolicy);

  test('every grant lands in one customer managed policy attached to the role; no inline policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    const policy = template.toJSON().Resources[policyId];
    expect(policy.Properties.Roles).toEqual([{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }]);
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ListQueues']));
  });

  test('a function using the role is created after the policy', () => {
    expect(template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)].DependsOn).toContain(policyId);
  });

  test('IAMNoInlinePolicy does not fire for it', () => {
    expect(findingSummary(stack).filter((f) => f.startsWith('IAMNoInlinePolicy'))).toEqual([]);
  });

  test('no policy until something is granted (an empty policy would not deploy)', () => {
    const empty = createTestStack();
    const unused = new ManagedPolicyRole(empty, 'Unused', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(unused.permissionsPolicy).toBeUndefined();
    Template.fromStack(empty).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('a plain iam.Role would have used an inline policy (the control)', () => {
    const plain = createTestStack();
    new sqs.Queue(plain, 'Jobs').grantConsumeMessages(new iam.Role(plain, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    Template.fromStack(plain).resourceCountIs('AWS::IAM::Policy', 1);
  });
});
