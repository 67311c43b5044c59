import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * A small VPC for network tests: two AZs, no NAT, isolated application subnets and, unless
 * `transitSubnets` is false, dedicated /28 transit subnets for Transit Gateway attachments. Flow logs
 * are on, as the AwsSolutions pack requires of every VPC.
 */
export function createTestVpc(scope: Construct, id: string, cidr: string, transitSubnets = true): ec2.Vpc {
  const subnetConfiguration: ec2.SubnetConfiguration[] = [
    { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
  ];
  if (transitSubnets) {
    subnetConfiguration.push({ name: 'transit', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 });
  }
  const vpc = new ec2.Vpc(scope, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration,
  });
  const flowLog = vpc.addFlowLog('FlowLog');
  // The fixture's own flow log (aws-cdk-lib's defaults), not the construct's.
  Validations.of(flowLog).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].flatMap((pack) => [
    { id: `${pack}-IAMNoInlinePolicy`, reason: 'test fixture' },
    { id: `${pack}-CloudWatchLogGroupEncrypted`, reason: 'test fixture' },
  ]));
  return vpc;
}


/** For the integration tests' fixture VPCs: the library's own bounds on aws-cdk-lib's default-security-group custom resource. */
export { boundDefaultSecurityGroupRestriction } from '../../src/core/private/default-security-group';
