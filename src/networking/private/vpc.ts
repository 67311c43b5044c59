import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { unique } from './cidr';
import { fail, isIpv4Cidr } from '../../core/private/validation';

/**
 * Whether the VPC is the placeholder `Vpc.fromLookup` hands the first synthesis (before the CLI has looked
 * the VPC up; it looks it up only if that synthesis succeeds): its ID (vpc-12345), CIDR (1.2.3.4/5), AZs
 * and subnets are dummies, so no check can be decided on them.
 */
export function isPendingLookup(vpc: ec2.IVpc): boolean {
  return vpc.selectSubnets({ subnets: [] }).isPendingLookup === true;
}

/**
 * The VPC's primary CIDR as the template gets it (a literal or a Token), or undefined when the VPC was
 * imported without one (Vpc.fromVpcAttributes without vpcCidrBlock, whose getter throws).
 */
export function vpcCidrOf(vpc: ec2.IVpc): string | undefined {
  try {
    return vpc.vpcCidrBlock;
  } catch {
    return undefined;
  }
}

/**
 * The VPC's primary CIDR as written in the app (an L2 Vpc's CfnVPC), when it is a literal; undefined for
 * a Token, a VPC imported without its CIDR, and `Vpc.fromLookup`'s placeholder (whose 1.2.3.4/5 is a dummy).
 */
export function literalVpcCidr(vpc: ec2.IVpc): string | undefined {
  if (isPendingLookup(vpc)) {
    return undefined;
  }
  const cfn = vpc.node.defaultChild;
  if (cfn instanceof ec2.CfnVPC && typeof cfn.cidrBlock === 'string' && !Token.isUnresolved(cfn.cidrBlock)) {
    return cfn.cidrBlock;
  }
  const cidr = vpcCidrOf(vpc);
  return typeof cidr === 'string' && !Token.isUnresolved(cidr) ? cidr : undefined;
}

/**
 * The literal secondary IPv4 CIDR blocks of a VPC known at construction: the `ec2.CfnVPCCidrBlock`s with
 * its VPC ID in the VPC's scope or at the top of its stack. (Scanning the whole stack on every call would
 * make attaching n spokes cost O(n^2); HubTransitGateway's synth-time check scans each stack once.)
 */
export function secondaryCidrBlocks(vpc: ec2.IVpc): string[] {
  return literalCidrBlocks(vpc, [...vpc.node.findAll(), ...Stack.of(vpc).node.children]);
}

/** The literal IPv4 CIDRs of the `ec2.CfnVPCCidrBlock`s among `candidates` that belong to `vpc`. */
export function literalCidrBlocks(vpc: ec2.IVpc, candidates: IConstruct[]): string[] {
  const found: string[] = [];
  for (const c of candidates) {
    if (c instanceof ec2.CfnVPCCidrBlock && c.vpcId === vpc.vpcId && typeof c.cidrBlock === 'string'
      && !Token.isUnresolved(c.cidrBlock) && isIpv4Cidr(c.cidrBlock)) {
      found.push(c.cidrBlock);
    }
  }
  return unique(found);
}

/**
 * The subnets `selection` picks, with aws-cdk-lib's errors (e.g. "There are no 'Isolated' subnet groups in
 * this VPC") reworded to name the prop they came from.
 */
export function selectSubnetsFor(scope: IConstruct, prop: string, vpc: ec2.IVpc, selection: ec2.SubnetSelection): ec2.ISubnet[] {
  try {
    return vpc.selectSubnets(selection).subnets;
  } catch (error) {
    const what = selection.subnetGroupName !== undefined ? `subnetGroupName '${selection.subnetGroupName}'`
      : selection.subnetType !== undefined ? `subnetType ${selection.subnetType}` : 'the selection';
    return fail(scope, `${prop} must select subnets of ${vpc.node.path}, but ${what} selects none (${(error as Error).message})`);
  }
}

/** A subnet's Availability Zone, or undefined when it is not known (a subnet imported without it). */
export function azOf(subnet: ec2.ISubnet): string | undefined {
  try {
    return subnet.availabilityZone;
  } catch {
    return undefined;
  }
}
