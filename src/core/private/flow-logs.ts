import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { logGroup } from './log-groups';
import { ManagedPolicyRole } from '../managed-policy-role';

/** What a flow log of this library records, and where. */
export interface FlowLogOptions {
  /** `VPC` or `TransitGateway`. */
  readonly resourceType: string;
  readonly resourceId: string;
  readonly retention: logs.RetentionDays;
  readonly encryptionKey?: kms.IKey;
  /** Seconds: 60 or 600 (Transit Gateways: 60 only). */
  readonly maxAggregationInterval: number;
}

/**
 * Flow logs (all traffic) to a CloudWatch log group kept after the stack is deleted, delivered by a role of
 * its own whose rights (write to that log group only) are in a managed policy. Resources: `${id}s` (log
 * group), `${id}sRole` (and its policy), `${id}`.
 */
export function cloudWatchFlowLog(scope: Construct, id: string, options: FlowLogOptions): logs.LogGroup {
  const group = logGroup(scope, `${id}s`, { retention: options.retention, removalPolicy: RemovalPolicy.RETAIN, encryptionKey: options.encryptionKey });
  const role = new ManagedPolicyRole(scope, `${id}sRole`, {
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description: `Delivers the flow logs of ${scope.node.path}`,
  });
  group.grantWrite(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
    resources: [group.logGroupArn],
  }));
  const flowLog = new ec2.CfnFlowLog(scope, id, {
    resourceType: options.resourceType,
    resourceId: options.resourceId,
    trafficType: options.resourceType === 'TransitGateway' ? undefined : 'ALL',
    logDestinationType: 'cloud-watch-logs',
    logGroupName: group.logGroupName,
    deliverLogsPermissionArn: role.roleArn,
    maxAggregationInterval: options.maxAggregationInterval,
  });
  // The role's policy must be attached before the flow log is created.
  flowLog.node.addDependency(role);
  return group;
}
