import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The Lambda timeout given to aws-cdk-lib's handler that empties a VPC's default security group. */
const RESTRICT_HANDLER_TIMEOUT_SECONDS = 300;
/** Its custom resource's ServiceTimeout: above the function's timeout, well under an hour. */
const RESTRICT_SERVICE_TIMEOUT_SECONDS = 360;

/**
 * Bounds aws-cdk-lib's custom resource that empties the default security group of a VPC created with
 * `restrictDefaultSecurityGroup`: it sets no ServiceTimeout, so CloudFormation would wait an hour (and another
 * on rollback) for a handler that cannot answer. Its handler (a stack-wide singleton, 15 minutes by default)
 * makes two EC2 calls: it gets 5 minutes and the custom resource 6, above it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html
 */
export function boundDefaultSecurityGroupRestriction(vpc: ec2.Vpc): void {
  const restrict = vpc.node.tryFindChild('RestrictDefaultSecurityGroupCustomResource')?.node.defaultChild;
  if (!(restrict instanceof CfnResource)) {
    return;
  }
  restrict.addPropertyOverride('ServiceTimeout', RESTRICT_SERVICE_TIMEOUT_SECONDS);
  const handler = Stack.of(vpc).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider')?.node.tryFindChild('Handler');
  if (handler instanceof CfnResource) {
    handler.addPropertyOverride('Timeout', RESTRICT_HANDLER_TIMEOUT_SECONDS);
  }
}
