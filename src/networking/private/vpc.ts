import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { unique } from './cidr';
import { isIpv4Cidr } from '../../core/private/validation';

/** The VPC's primary CIDR as written in the app (an L2 Vpc's CfnVPC), when it is a literal. */
export function literalVpcCidr(vpc: ec2.IVpc): string | undefined {
  const cfn = vpc.node.defaultChild;
  if (cfn instanceof ec2.CfnVPC && typeof cfn.cidrBlock === 'string' && !Token.isUnresolved(cfn.cidrBlock)) {
    return cfn.cidrBlock;
  }
  const cidr = vpc.vpcCidrBlock;
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
