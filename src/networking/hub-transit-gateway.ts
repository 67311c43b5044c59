import { Annotations, CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct, IConstruct } from 'constructs';
import { IMonitoredPattern } from '../core/monitoring';
import { nameTag, parseCidr, routeIdSuffix, unique } from './private/cidr';
import { envDifference } from './private/env';
import { azOf, isPendingLookup, literalCidrBlocks, literalVpcCidr, secondaryCidrBlocks, selectSubnetsFor, vpcCidrOf } from './private/vpc';
import { acknowledgeRules } from '../core/private/acknowledge';
import { wireAlarmActions } from '../core/private/alarms';
import { Flow, flowName, flowRef, FlowTarget } from '../core/private/flow';
import { cloudWatchFlowLog } from '../core/private/flow-logs';
import { HandlerFunction, handlerFunction, handlerResource, policyResource } from '../core/private/handler-function';
import { watchResourceBudget } from '../core/private/resource-budget';
import { fail, isIpv4Cidr, isTokenElement, literalElements, requireFreeId, requireLiteralList, valueKey } from '../core/private/validation';

/** Amazon-side ASN ranges a Transit Gateway accepts (private 16-bit and 32-bit ranges). */
const ASN_RANGES: Array<[number, number]> = [[64_512, 65_534], [4_200_000_000, 4_294_967_294]];
/** The default number of routes in a VPC route table (a quota that can be raised to 1,000). */
const VPC_ROUTE_TABLE_QUOTA = 50;
/**
 * Transit gateway route tables per transit gateway: 20 by default, adjustable
 * (https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html).
 */
const ROUTE_TABLE_QUOTA = 20;
const SEGMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const ATTACHMENT_ID = /^tgw-attach-[0-9a-f]{8,17}$/;

/**
 * Properties for a HubTransitGateway.
 */
export interface HubTransitGatewayProps {
  /**
   * The BGP ASN on the AWS side: 64512-65534 or 4200000000-4294967294.
   *
   * @default 64512
   */
  readonly amazonSideAsn?: number;

  /**
   * A description of the Transit Gateway.
   *
   * @default - the construct path
   */
  readonly description?: string;

  /**
   * The named route domains. Each segment has its own route table; attachments of a segment reach each
   * other, and segments are isolated from each other until `connectSegments`. A Transit Gateway has 20
   * route tables by default (an adjustable quota): more segments warn.
   *
   * @default ['default']
   */
  readonly segments?: string[];

  /**
   * Whether attached VPCs resolve each other's public DNS host names to private IP addresses (the Transit
   * Gateway's and every VPC attachment's DNS support). Names in Route 53 private hosted zones do not
   * resolve across the hub: associate the zones with each VPC or use Route 53 Resolver.
   *
   * @default true
   */
  readonly dnsSupport?: boolean;

  /**
   * Whether VPN connections may spread traffic over several tunnels (equal-cost multi-path, BGP only).
   *
   * @default true
   */
  readonly vpnEcmpSupport?: boolean;

  /**
   * Whether attachments requested by accounts the hub is shared with are accepted without review.
   *
   * @default false
   */
  readonly autoAcceptSharedAttachments?: boolean;

  /**
   * Principals to share the Transit Gateway with through AWS RAM: 12-digit account IDs, an organization
   * ARN or organizational unit ARNs. Principals outside your organization are not allowed. The accounts
   * create their VPC attachments in their own stacks; place them in a segment with `associateAttachment`.
   *
   * @default - not shared
   */
  readonly shareWith?: string[];

  /**
   * Whether to record Transit Gateway flow logs to CloudWatch Logs.
   *
   * @default false
   */
  readonly flowLogs?: boolean;

  /**
   * How long flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogsRetention?: logs.RetentionDays;

  /**
   * Whether to alarm on packets dropped for lack of a route and on packets dropped by blackhole routes.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Actions (an SNS topic, an incident tool) for every alarm of the hub, for the ALARM and OK states. More
   * can be added with `addAlarmAction`.
   *
   * @default - none: the alarms change state and show in the console only
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * A customer managed KMS key for the hub's log groups (flow logs, custom resource handlers). A key
   * defined in this app gets a key policy statement letting CloudWatch Logs in this region use it for this
   * account's log groups; an imported key must allow that already (a warning says so).
   *
   * @default - CloudWatch Logs' own encryption at rest
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Options for `HubTransitGateway.attachVpc`.
 */
export interface AttachVpcOptions {
  /**
   * The VPC to attach: in the hub's account and region (it may be defined in another stack of the same
   * app). Its secondary IPv4 CIDR blocks (`ec2.CfnVPCCidrBlock` in the VPC's scope or at the top of its
   * stack, defined before `attachVpc`) are routed and overlap-checked too.
   */
  readonly vpc: ec2.IVpc;

  /** The segment whose route table the attachment is associated with. */
  readonly segment: string;

  /**
   * The subnets the attachment uses: one per Availability Zone. Subnets in an AZ without an attachment
   * subnet cannot reach the hub, so their route tables get no route to it (a warning names them).
   *
   * @default - a subnet group whose name mentions transit, tgw or attachment (dedicated attachment
   * subnets, as AWS recommends), else the private subnets, else the isolated ones; one per AZ
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Whether traffic of a flow stays in one AZ (needed for stateful appliances in the VPC).
   *
   * @default false
   */
  readonly applianceMode?: boolean;

  /**
   * The only destination CIDRs routed to the Transit Gateway from the VPC's private and isolated route
   * tables, replacing the automatic ones (e.g. one summary such as 10.0.0.0/8). An empty list adds no
   * route. To keep the automatic routes and add more, use `additionalVpcRoutes`.
   *
   * @default - every destination the hub knows is reachable from this segment, kept up to date: the
   * CIDRs (primary and secondary) of the VPCs attached to this and connected segments, the `peerCidrs` of
   * peerings, and the on-premises prefixes of VPN and Direct Connect attachments
   */
  readonly vpcRoutes?: string[];

  /**
   * More destination CIDRs routed to the Transit Gateway from the VPC's private and isolated route
   * tables, in addition to `vpcRoutes` or to the automatic routes (e.g. on-premises ranges learned over
   * BGP that the hub does not know at synth).
   *
   * @default - none
   */
  readonly additionalVpcRoutes?: string[];
}

/**
 * Options for `HubTransitGateway.addPeering`.
 */
export interface HubPeeringOptions {
  /** The ID of the Transit Gateway to peer with (in another region). */
  readonly peerTransitGatewayId: string;

  /** The region of the peer Transit Gateway. */
  readonly peerRegion: string;

  /**
   * The account of the peer Transit Gateway.
   *
   * @default - this stack's account
   */
  readonly peerAccountId?: string;

  /** The segment whose route table the peering attachment is associated with. */
  readonly segment: string;

  /**
   * CIDRs behind the peer. They are routed to the peering attachment (peering attachments do not
   * propagate routes) in `segment` and in every segment connected to it, now and after later
   * `connectSegments`, and added to the route tables of the spoke VPCs of those segments. The peer hub
   * needs the routes back.
   *
   * @default - no static route
   */
  readonly peerCidrs?: string[];

  /**
   * Whether a custom resource accepts the attachment in the peer region and waits until it is available
   * before associating it and adding routes. Only possible when the peer is in this account (known at
   * synth: the stack's account is set, or `peerAccountId` is unset); a peer in another account accepts
   * it there, see `peerAccepted`.
   *
   * @default - true when the peer is in this stack's account, false otherwise
   */
  readonly accept?: boolean;

  /**
   * With `accept` false: whether the peer has accepted the attachment. An attachment that is not accepted
   * stays pendingAcceptance, and its association and routes would fail; so until this is true only the
   * attachment is created (deploy, have the peer accept it, then set this to true and deploy again).
   *
   * @default false
   */
  readonly peerAccepted?: boolean;
}

/**
 * A peering between a HubTransitGateway and a Transit Gateway in another region.
 */
export class HubPeering extends Construct {
  /** The peering attachment. */
  public readonly attachment: ec2.CfnTransitGatewayPeeringAttachment;

  /** The peering attachment ID. */
  public readonly transitGatewayAttachmentId: string;

  /** The acceptance custom resource, when `accept` is on. */
  public readonly acceptance?: CustomResource;

  /**
   * Whether the association with the segment and the routes are created: the attachment is accepted by
   * this stack (`accept`) or was accepted by the peer (`peerAccepted`).
   */
  public readonly associated: boolean;

  constructor(scope: Construct, id: string, hub: HubTransitGateway, options: HubPeeringOptions, acceptor?: lambda.IFunction) {
    super(scope, id);
    const stack = Stack.of(this);
    this.attachment = new ec2.CfnTransitGatewayPeeringAttachment(this, 'Resource', {
      transitGatewayId: hub.transitGatewayId,
      peerTransitGatewayId: options.peerTransitGatewayId,
      peerRegion: options.peerRegion,
      peerAccountId: options.peerAccountId ?? stack.account,
      tags: [nameTag(this, id)],
    });
    this.transitGatewayAttachmentId = this.attachment.attrTransitGatewayAttachmentId;
    if (acceptor !== undefined) {
      this.acceptance = handlerResource(this, 'Acceptance', {
        handler: acceptor,
        resourceType: 'Custom::TransitGatewayPeeringAcceptance',
        properties: { AttachmentId: this.transitGatewayAttachmentId, PeerRegion: options.peerRegion },
      });
    }
    // An association or route on a peering attachment fails until the attachment is available, which it
    // is only once accepted on the peer's side
    // (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering-accept-reject.html).
    this.associated = this.acceptance !== undefined || options.peerAccepted === true;
    if (!this.associated) {
      Annotations.of(this).addWarningV2('cdk-reference-patterns:peeringPendingAcceptance',
        `The peering attachment stays pendingAcceptance until the owner of ${options.peerTransitGatewayId} accepts it in ${options.peerRegion}; its association with segment '${options.segment}' and the routes to peerCidrs are created once you set peerAccepted to true and deploy again`);
      return;
    }
    const segment = hub.segment(options.segment);
    const association = new ec2.CfnTransitGatewayRouteTableAssociation(this, 'Association', {
      transitGatewayAttachmentId: this.transitGatewayAttachmentId,
      transitGatewayRouteTableId: segment.routeTableId,
    });
    const waitFor = this.acceptance === undefined ? [] : [this.acceptance];
    for (const dependable of waitFor) {
      association.node.addDependency(dependable);
    }
    hub._routePeering(this, options, waitFor);
  }
}

/**
 * The kinds of attachment `HubTransitGateway.attachResource` looks up.
 */
export enum HubAttachmentResourceType {
  /** A Site-to-Site VPN connection. */
  VPN = 'vpn',
  /** A Direct Connect gateway. */
  DIRECT_CONNECT_GATEWAY = 'direct-connect-gateway',
}

/**
 * Options for `HubTransitGateway.attachResource`.
 */
export interface AttachResourceOptions {
  /** What is attached. */
  readonly resourceType: HubAttachmentResourceType;

  /** The ID of the VPN connection or Direct Connect gateway. */
  readonly resourceId: string;

  /** The segment to associate the attachment with. */
  readonly segment: string;

  /**
   * Destinations routed statically to the attachment (a VPN with static routing), in `segment` and in
   * every segment connected to it, now and after later `connectSegments`.
   *
   * @default - none: the attachment's routes propagate (BGP)
   */
  readonly staticRoutes?: string[];

  /**
   * Ranges reachable through the attachment (on-premises prefixes), added to the route tables of the
   * spoke VPCs whose segment reaches `segment`.
   *
   * @default - the staticRoutes
   */
  readonly remoteCidrs?: string[];
}

/**
 * A VPN connection or Direct Connect gateway attached to a HubTransitGateway: the attachment lookup, the
 * association with its segment and the propagations.
 */
export class HubResourceAttachment extends Construct {
  /** The attachment ID (from the lookup). */
  public readonly transitGatewayAttachmentId: string;

  /** The segment the attachment is associated with. */
  public readonly segment: string;

  /** The lookup custom resource; resources that use the attachment should depend on it. */
  public readonly lookup: CustomResource;

  /** @internal */
  public readonly _propagatedTo = new Set<string>();

  constructor(scope: Construct, id: string, hub: HubTransitGateway, options: AttachResourceOptions, lookupFunction: lambda.IFunction) {
    super(scope, id);
    this.segment = options.segment;
    this.lookup = handlerResource(this, 'Lookup', {
      handler: lookupFunction,
      resourceType: 'Custom::TransitGatewayAttachmentLookup',
      properties: { TransitGatewayId: hub.transitGatewayId, ResourceType: options.resourceType, ResourceId: options.resourceId },
    });
    this.transitGatewayAttachmentId = this.lookup.getAttString('TransitGatewayAttachmentId');
    new ec2.CfnTransitGatewayRouteTableAssociation(this, 'Association', {
      transitGatewayAttachmentId: this.transitGatewayAttachmentId,
      transitGatewayRouteTableId: hub.segment(options.segment).routeTableId,
    });
  }
}

/**
 * Options for `HubTransitGateway.associateAttachment`.
 */
export interface AssociateAttachmentOptions {
  /**
   * The ID of an attachment made outside this app, e.g. a VPC attachment created by an account the hub
   * is shared with (`shareWith`). It must be available: accepted (by hand, or by
   * `autoAcceptSharedAttachments`) before this is deployed.
   */
  readonly transitGatewayAttachmentId: string;

  /** The segment to associate the attachment with; it propagates into every segment that reaches it. */
  readonly segment: string;

  /**
   * The CIDRs behind the attachment (e.g. the other account's VPC CIDRs), added to the route tables of the
   * spoke VPCs of this hub whose segment reaches `segment`. The other account adds routes to the hub in its
   * own VPC's route tables.
   *
   * @default - none
   */
  readonly remoteCidrs?: string[];
}

/**
 * An attachment made outside this app (e.g. by an account the hub is shared with), associated with a
 * segment of the hub and propagated into every segment that reaches it.
 */
export class HubAttachmentAssociation extends Construct {
  /** The attachment ID. */
  public readonly transitGatewayAttachmentId: string;

  /** The segment the attachment is associated with. */
  public readonly segment: string;

  /** The association with the segment's route table. */
  public readonly association: ec2.CfnTransitGatewayRouteTableAssociation;

  /** @internal */
  public readonly _propagatedTo = new Set<string>();

  constructor(scope: Construct, id: string, hub: HubTransitGateway, options: AssociateAttachmentOptions) {
    super(scope, id);
    this.segment = options.segment;
    this.transitGatewayAttachmentId = options.transitGatewayAttachmentId;
    this.association = new ec2.CfnTransitGatewayRouteTableAssociation(this, 'Association', {
      transitGatewayAttachmentId: this.transitGatewayAttachmentId,
      transitGatewayRouteTableId: hub.segment(options.segment).routeTableId,
    });
  }
}

/**
 * A named route domain of a HubTransitGateway.
 */
export class HubSegment extends Construct {
  /** The segment name. */
  public readonly segmentName: string;

  /** The segment's route table. */
  public readonly routeTable: ec2.CfnTransitGatewayRouteTable;

  /** The route table ID. */
  public readonly routeTableId: string;

  constructor(scope: Construct, id: string, name: string, transitGatewayId: string) {
    super(scope, id);
    this.segmentName = name;
    this.routeTable = new ec2.CfnTransitGatewayRouteTable(this, 'RouteTable', {
      transitGatewayId,
      tags: [nameTag(this, name)],
    });
    this.routeTableId = this.routeTable.ref;
  }
}

/**
 * A VPC attached to a HubTransitGateway.
 */
export class HubVpcAttachment extends Construct {
  /** The attachment. */
  public readonly attachment: ec2.CfnTransitGatewayAttachment;

  /** The attachment ID, for static routes. */
  public readonly transitGatewayAttachmentId: string;

  /** The segment the attachment is associated with. */
  public readonly segment: string;

  /** The attached VPC. */
  public readonly vpc: ec2.IVpc;

  /** The VPC CIDR, when known at synth. */
  public readonly vpcCidr?: string;

  /** The VPC's secondary IPv4 CIDR blocks the hub found (literal ones), routed and overlap-checked. */
  public readonly secondaryCidrs: string[];

  /** @internal */
  public readonly _fixedRoutes?: string[];

  /** The distinct private and isolated route tables; `routed` is false when no subnet of it is in an AZ the attachment covers. @internal */
  public readonly _routeTables: Array<{ readonly routeTableId: string; readonly routed: boolean }>;

  /** @internal */
  public readonly _routedCidrs = new Set<string>();

  /** @internal */
  public readonly _propagatedTo = new Set<string>();

  /** @internal */
  public _quotaWarned = false;

  constructor(scope: Construct, id: string, hub: HubTransitGateway, options: AttachVpcOptions, subnets: ec2.ISubnet[]) {
    super(scope, id);
    this.segment = options.segment;
    this.vpc = options.vpc;
    this.vpcCidr = literalVpcCidr(options.vpc);
    this.secondaryCidrs = secondaryCidrBlocks(options.vpc);
    this._fixedRoutes = options.vpcRoutes;
    this.attachment = new ec2.CfnTransitGatewayAttachment(this, 'Resource', {
      transitGatewayId: hub.transitGatewayId,
      vpcId: options.vpc.vpcId,
      subnetIds: subnets.map((s) => s.subnetId),
      options: {
        ApplianceModeSupport: options.applianceMode ? 'enable' : 'disable',
        // The attachment follows the hub: DNS resolution across VPCs needs it on both.
        DnsSupport: enable(hub._dnsSupport),
        // The hub routes IPv4 only (spoke routes, segment overlap checks).
        Ipv6Support: 'disable',
      },
      tags: [nameTag(this, id)],
    });
    this.transitGatewayAttachmentId = this.attachment.attrId;
    this._routeTables = spokeRouteTables(this, id, options.vpc, subnets);
  }

  /** The VPC's CIDRs: the primary (literal or a Token) and the literal secondary ones. @internal */
  public get _cidrs(): string[] {
    return unique([this.vpcCidr ?? this.vpc.vpcCidrBlock, ...this.secondaryCidrs]);
  }
}

/**
 * Destinations reachable through one attachment of a segment: routed from the spoke VPCs of every segment
 * that reaches it and, for static routes, in those segments' route tables.
 */
interface RouteSource {
  readonly segment: string;
  /** What it is, for messages. */
  readonly description: string;
  /** The destinations, for spoke VPC route tables. */
  readonly cidrs: string[];
  /** The VPC attachment it is, so that a VPC does not route to itself. */
  readonly vpcAttachment?: HubVpcAttachment;
  /** Static routes to `attachmentId` in the route table of every segment that reaches `segment`. */
  readonly staticRoutes?: {
    /** The prop the routes come from, for messages. */
    readonly prop: string;
    readonly cidrs: string[];
    readonly attachmentId: string;
    /** Where the routes are created (ids Route<cidr> in its own segment, Route<cidr>In<segment> elsewhere). */
    readonly scope: Construct;
    /** What the routes wait for (e.g. the peering's acceptance). */
    readonly dependsOn: IConstruct[];
  };
}

/** An attachment whose routes propagate into the segments that reach its own. */
type PropagatingAttachment = HubVpcAttachment | HubResourceAttachment | HubAttachmentAssociation;

/**
 * A hub-and-spoke Transit Gateway: named segments (route domains) with their own route tables, VPC
 * attachments with routes in the spokes, sharing through AWS RAM, optional flow logs, and alarms on
 * dropped packets. Default route table association and propagation are off, so nothing is routed until a
 * segment says so.
 */
export class HubTransitGateway extends Construct implements IMonitoredPattern {
  /** The Transit Gateway. */
  public readonly transitGateway: ec2.CfnTransitGateway;

  /** The Transit Gateway ID. */
  public readonly transitGatewayId: string;

  /** The Transit Gateway ARN. */
  public readonly transitGatewayArn: string;

  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  /** The RAM resource share, when `shareWith` is set. */
  public readonly resourceShare?: ram.CfnResourceShare;

  /** The flow log group, when `flowLogs` is on. */
  public readonly flowLogGroup?: logs.ILogGroup;

  /** Whether DNS support is on (the attachments follow it). @internal */
  public readonly _dnsSupport: boolean;

  private readonly segments = new Map<string, HubSegment>();
  private readonly handlers = new Map<string, HandlerFunction>();
  private readonly logEncryptionKey?: kms.IKey;
  private readonly connections = new Set<string>();
  private readonly attachments: HubVpcAttachment[] = [];
  private readonly propagating: PropagatingAttachment[] = [];
  private readonly attachedVpcs = new Set<ec2.IVpc>();
  /** Literal VPC IDs attached (a VPC imported twice is two objects with one ID). */
  private readonly attachedVpcIds = new Map<string, string>();
  /** `type:id` of the VPN connections and Direct Connect gateways attached. */
  private readonly attachedResources = new Map<string, string>();
  /** Per segment: its VPC attachments, and their literal CIDR ranges sorted by start (no overlaps inside). */
  private readonly bySegment = new Map<string, HubVpcAttachment[]>();
  private readonly rangesBySegment = new Map<string, CidrRange[]>();
  /** Per segment: what is reachable through its attachments. */
  private readonly sourcesBySegment = new Map<string, RouteSource[]>();
  /** Per segment: the static and blackhole routes of its route table, by destination (one route each). */
  private readonly staticRoutesBySegment = new Map<string, Map<string, string>>();
  /** The diagram node of each attachment, by attachment ID (for static routes). */
  private readonly flowAttachments = new Map<string, FlowTarget>();

  constructor(scope: Construct, id: string, props: HubTransitGatewayProps = {}) {
    super(scope, id);
    this.validateProps(props);
    watchResourceBudget(this);
    this.logEncryptionKey = props.logEncryptionKey;
    this._dnsSupport = props.dnsSupport ?? true;

    this.transitGateway = new ec2.CfnTransitGateway(this, 'Resource', {
      amazonSideAsn: props.amazonSideAsn ?? 64_512,
      description: props.description ?? this.node.path,
      dnsSupport: enable(this._dnsSupport),
      vpnEcmpSupport: enable(props.vpnEcmpSupport ?? true),
      autoAcceptSharedAttachments: enable(props.autoAcceptSharedAttachments ?? false),
      multicastSupport: 'disable',
      // Every segment has its own route table: nothing lands in a default table by accident.
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      tags: [nameTag(this, id)],
    });
    this.transitGatewayId = this.transitGateway.attrId;
    this.transitGatewayArn = Stack.of(this).formatArn({
      service: 'ec2', resource: 'transit-gateway', resourceName: this.transitGatewayId,
    });
    // The data flow of the README diagrams (src/core/private/flow.ts): the hub is a box of segment boxes.
    Flow.of(this).group(this.transitGateway, 'transitGateway', `Transit Gateway ${id}`, { detail: `ASN ${props.amazonSideAsn ?? 64_512}` });

    const segmentNames = props.segments ?? ['default'];
    for (const name of segmentNames) {
      this.segments.set(name, new HubSegment(this, `Segment${name}`, name, this.transitGatewayId));
      Flow.of(this).group(this.segments.get(name)!.routeTable, 'segment', `segment ${name}`, { parent: this.transitGateway });
    }
    if (segmentNames.length > ROUTE_TABLE_QUOTA) {
      Annotations.of(this).addWarningV2('cdk-reference-patterns:tgwRouteTableQuota',
        `${segmentNames.length} segments need ${segmentNames.length} Transit Gateway route tables; the default quota is ${ROUTE_TABLE_QUOTA} per Transit Gateway (adjustable): request an increase before deploying`);
    }

    if (props.shareWith !== undefined) {
      this.resourceShare = new ram.CfnResourceShare(this, 'Share', {
        name: `${Stack.of(this).stackName}-${id}`,
        resourceArns: [this.transitGatewayArn],
        principals: props.shareWith,
        allowExternalPrincipals: false,
      });
    }

    if (props.flowLogs) {
      this.flowLogGroup = this.createFlowLogs(props.flowLogsRetention ?? logs.RetentionDays.ONE_YEAR);
    }

    if (props.alarms ?? true) {
      for (const [metricName, what] of [['PacketDropCountNoRoute', 'no route'], ['PacketDropCountBlackhole', 'a blackhole route']]) {
        this.alarms.push(new cloudwatch.Alarm(this, `${metricName.replace('PacketDropCount', 'Dropped')}Alarm`, {
          alarmDescription: `${this.node.path} dropped packets that matched ${what}`,
          metric: this.metric(metricName, { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
    }
    this.addAlarmAction(...props.alarmActions ?? []);
    this.node.addValidation({ validate: () => this.validateSecondaryCidrs() });
  }

  /** The segment with this name; an error when there is none. */
  public segment(name: string): HubSegment {
    const segment = this.segments.get(name);
    if (segment === undefined) {
      fail(this, `segment must be one of ${[...this.segments.keys()].join(', ')}, but '${name}' was provided`);
    }
    return segment;
  }

  /** The names of the segments. */
  public get segmentNames(): string[] {
    return [...this.segments.keys()];
  }

  /** The VPC attachments, in the order they were made. */
  public get vpcAttachments(): HubVpcAttachment[] {
    return [...this.attachments];
  }

  /**
   * Lets two segments reach each other: each propagates its attachments' routes into the other's route
   * table (e.g. prod and dev each connected to shared services, not to each other), the static routes of
   * each (peerings, static VPNs) are added to the other's route table, and the spoke VPCs of each get
   * routes to what the other reaches through its attachments.
   */
  public connectSegments(a: string, b: string): void {
    this.segment(a);
    this.segment(b);
    if (a === b) {
      fail(this, `connectSegments needs two different segments, but '${a}' was given twice`);
    }
    const key = connectionKey(a, b);
    if (this.connections.has(key)) {
      return;
    }
    this.checkMergedRanges(a, b);
    this.connections.add(key);
    Flow.of(this).edge(this.segment(a).routeTable, this.segment(b).routeTable, { label: 'routes propagated', style: 'both' });
    for (const attachment of this.propagating) {
      this.propagate(attachment);
    }
    for (const [from, to] of [[a, b], [b, a]]) {
      for (const source of this.sourcesBySegment.get(from) ?? []) {
        this.addStaticRoutes(source, to);
        for (const spoke of this.bySegment.get(to) ?? []) {
          this.routeSpoke(spoke, source);
        }
      }
    }
  }

  /**
   * Attaches a VPC to a segment: the attachment (one subnet per AZ), its association with the segment's
   * route table, propagation into every segment it may reach, and routes in the VPC's private and isolated
   * route tables for the destinations it can reach through the hub. The VPC must be in the hub's account and
   * region: a VPC of another account attaches from its own stack after `shareWith`, and is placed in a
   * segment with `associateAttachment`.
   */
  public attachVpc(id: string, options: AttachVpcOptions): HubVpcAttachment {
    const segment = this.segment(options.segment);
    const vpc = options.vpc;
    if (this.attachedVpcs.has(vpc)) {
      fail(this, `attachVpc: ${vpc.node.path} is attached already; a VPC has one attachment per Transit Gateway, but it was attached again as '${id}'`);
    }
    requireFreeId(this, this, 'attachVpc', id, 'attachment');
    // Vpc.fromLookup's placeholder (first synthesis) has a dummy ID, CIDR and subnets shared by every
    // lookup: nothing is checked on it, or the synthesis that lets the CLI look the VPCs up would fail.
    const placeholder = isPendingLookup(vpc);
    const vpcId = vpc.vpcId;
    if (!placeholder && !Token.isUnresolved(vpcId) && this.attachedVpcIds.has(vpcId)) {
      fail(this, `attachVpc: ${vpcId} is attached already as ${this.attachedVpcIds.get(vpcId)}; a VPC has one attachment per Transit Gateway, but it was attached again as '${id}'`);
    }
    this.checkVpcEnvironment(id, vpc);
    if (vpcCidrOf(vpc) === undefined) {
      fail(this, `attachVpc '${id}': vpc ${vpc.node.path} must have a known CIDR (the hub routes to it from the other spokes), but it was imported without vpcCidrBlock: give vpcCidrBlock to Vpc.fromVpcAttributes, or use Vpc.fromLookup`);
    }
    for (const [prop, cidrs] of [['vpcRoutes', options.vpcRoutes], ['additionalVpcRoutes', options.additionalVpcRoutes]] as const) {
      requireLiteralList(this, prop, cidrs, 'each CIDR becomes a route in every route table of the VPC');
      for (const cidr of literalElements(cidrs)) {
        if (!isIpv4Cidr(cidr)) {
          fail(this, `${prop} must hold IPv4 CIDR blocks such as 10.0.0.0/8, but '${cidr}' was provided for '${id}'`);
        }
      }
    }
    const subnets = this.selectAttachmentSubnets(id, options);
    const ranges = [literalVpcCidr(vpc), ...secondaryCidrBlocks(vpc)]
      .filter((cidr): cidr is string => cidr !== undefined)
      .map((cidr) => ({ ...parseCidr(cidr), cidr, path: vpc.node.path }));
    checkOwnRanges(this, ranges);
    for (const range of ranges) {
      for (const name of this.reachableSegments(options.segment)) {
        this.checkRange(range, this.rangesBySegment.get(name) ?? []);
      }
    }

    const attachment = new HubVpcAttachment(this, id, this, options, subnets);
    Flow.of(this).node(attachment.attachment, 'vpcAttachment', id, { group: segment.routeTable });
    Flow.of(this).node(vpc, 'vpc', flowName(vpc), { detail: attachment.vpcCidr });
    // VPC first: the spokes are drawn beside the hub, not behind one another with edges crossing them.
    Flow.of(this).edge(vpc, attachment.attachment, { style: 'both' });
    this.flowAttachments.set(attachment.transitGatewayAttachmentId, attachment.attachment);
    new ec2.CfnTransitGatewayRouteTableAssociation(attachment, 'Association', {
      transitGatewayAttachmentId: attachment.transitGatewayAttachmentId,
      transitGatewayRouteTableId: segment.routeTableId,
    });
    this.attachments.push(attachment);
    this.propagating.push(attachment);
    this.attachedVpcs.add(vpc);
    if (!placeholder && !Token.isUnresolved(vpcId)) {
      this.attachedVpcIds.set(vpcId, attachment.node.path);
    }
    const members = this.bySegment.get(options.segment) ?? [];
    members.push(attachment);
    this.bySegment.set(options.segment, members);
    for (const range of ranges) {
      insertSorted(this.rangesBySegment, options.segment, range);
    }
    this.propagate(attachment);
    this.addRoutes(attachment, [...attachment._fixedRoutes ?? [], ...options.additionalVpcRoutes ?? []]);
    // What the new VPC reaches, then the VPC as a destination for the others.
    for (const name of this.reachableSegments(options.segment)) {
      for (const source of this.sourcesBySegment.get(name) ?? []) {
        this.routeSpoke(attachment, source);
      }
    }
    this.addRouteSource({ segment: options.segment, description: `VPC ${vpc.node.path}`, cidrs: attachment._cidrs, vpcAttachment: attachment });
    return attachment;
  }

  /**
   * Peers the hub with a Transit Gateway in another region: the peering attachment, its acceptance in the
   * peer region (same account), its association with `segment`, and static routes to `peerCidrs` in
   * `segment` and every segment connected to it. A peer in another account accepts the attachment on its
   * side; the association and routes follow once `peerAccepted` is set.
   */
  public addPeering(id: string, options: HubPeeringOptions): HubPeering {
    this.segment(options.segment);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(options.peerRegion) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(options.peerRegion)) {
      fail(this, `addPeering peerRegion must be a region name such as eu-west-1, but '${options.peerRegion}' was provided`);
    }
    if (!Token.isUnresolved(options.peerRegion) && !Token.isUnresolved(stack.region) && options.peerRegion === stack.region) {
      fail(this, `addPeering peerRegion must differ from the hub's region (${stack.region}): peering connects hubs in different regions`);
    }
    if (!Token.isUnresolved(options.peerTransitGatewayId) && !/^tgw-[0-9a-f]{8,17}$/.test(options.peerTransitGatewayId)) {
      fail(this, `addPeering peerTransitGatewayId must look like tgw-0123456789abcdef0, but '${options.peerTransitGatewayId}' was provided`);
    }
    const peerAccount = options.peerAccountId;
    if (peerAccount !== undefined && !Token.isUnresolved(peerAccount) && !/^\d{12}$/.test(peerAccount)) {
      fail(this, `addPeering peerAccountId must be a 12-digit account ID, but '${peerAccount}' was provided`);
    }
    // The acceptor runs with this account's credentials: it may accept only a peer known to be in this
    // account (peerAccountId unset, or the stack's own account).
    const sameAccount = peerAccount === undefined || peerAccount === stack.account;
    const crossAccount = !sameAccount && !Token.isUnresolved(peerAccount) && !Token.isUnresolved(stack.account);
    const accept = options.accept ?? sameAccount;
    if (accept && crossAccount) {
      fail(this, `addPeering accept is possible only for a peer in this account (${stack.account}), but peerAccountId '${peerAccount}' was provided: accept it in the peer account and set accept to false`);
    }
    if (accept && !sameAccount) {
      fail(this, `addPeering accept needs the peer to be known to be in this account, but peerAccountId '${peerAccount}' cannot be compared with the stack's account at synth: give the stack an account (env), leave peerAccountId unset for a peer in this account, or set accept to false and accept it in the peer account`);
    }
    if (accept && options.peerAccepted !== undefined) {
      fail(this, 'addPeering peerAccepted applies only with accept false (the peer accepts), but accept is true: this stack accepts the attachment itself');
    }
    requireLiteralList(this, 'addPeering peerCidrs', options.peerCidrs, 'each CIDR becomes a static route in every segment that reaches the peering');
    for (const cidr of options.peerCidrs ?? []) {
      this.validateDestination('addPeering peerCidrs', cidr);
    }
    requireFreeId(this, this, 'addPeering', id, 'peering');
    // One peering attachment between two Transit Gateways, not adjustable
    // (https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html).
    const peerKey = `peering:${options.peerTransitGatewayId}`;
    if (this.attachedResources.has(peerKey)) {
      fail(this, `addPeering peerTransitGatewayId ${options.peerTransitGatewayId} is peered already by ${this.attachedResources.get(peerKey)}; two Transit Gateways have one peering attachment, but it was peered again as '${id}'`);
    }
    this.attachedResources.set(peerKey, `${this.node.path}/${id}`);
    const acceptor = accept ? this.peeringAcceptor() : undefined;
    const peering = new HubPeering(this, id, this, options, acceptor?.function);
    Flow.of(this).node(peering.attachment, 'peeringAttachment', id, {
      detail: `${options.peerRegion}${peering.associated ? '' : ', pending acceptance'}`,
      group: peering.associated ? this.segment(options.segment).routeTable : this.transitGateway,
    });
    this.flowAttachments.set(peering.transitGatewayAttachmentId, peering.attachment);
    // The acceptor may accept exactly this attachment, on the peer's side.
    acceptor?.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:AcceptTransitGatewayPeeringAttachment'],
      resources: [stack.formatArn({
        service: 'ec2', region: options.peerRegion, resource: 'transit-gateway-attachment', resourceName: peering.transitGatewayAttachmentId,
      })],
    }));
    return peering;
  }

  /**
   * Associates the Transit Gateway attachment of a VPN connection or Direct Connect gateway (made outside
   * the hub) with a segment and propagates its routes into every segment that reaches it, now and after
   * later `connectSegments`; adds its `staticRoutes` to those segments' route tables and its remote CIDRs to
   * their spoke VPCs' route tables. CloudFormation does not return such attachment IDs, so a custom
   * resource looks the attachment up and waits until it is available. The resources are created in `scope`
   * (e.g. the HybridVpn), which must be in the hub's account and region; it may be another stack.
   */
  public attachResource(scope: Construct, id: string, options: AttachResourceOptions): HubResourceAttachment {
    this.segment(options.segment);
    const difference = envDifference(Stack.of(this), Stack.of(scope));
    if (difference !== undefined) {
      fail(this, `attachResource: ${scope.node.path} is in another ${difference} than the hub (${Stack.of(this)[difference]}), but a VPN connection or Direct Connect gateway association on a Transit Gateway is made in the hub's account and region: define it in a stack with the hub's account and region`);
    }
    const key = `${options.resourceType}:${options.resourceId}`;
    if (this.attachedResources.has(key)) {
      fail(this, `attachResource: ${options.resourceType} ${options.resourceId} is attached already by ${this.attachedResources.get(key)}; it has one attachment per Transit Gateway, but it was attached again by ${scope.node.path}`);
    }
    requireLiteralList(this, 'attachResource staticRoutes', options.staticRoutes, 'each CIDR becomes a static route in every segment that reaches the attachment');
    requireLiteralList(this, 'attachResource remoteCidrs', options.remoteCidrs, 'each CIDR becomes a route in the spoke VPCs that reach the attachment');
    for (const cidr of [...options.staticRoutes ?? [], ...options.remoteCidrs ?? []]) {
      this.validateDestination('attachResource', cidr);
    }
    requireFreeId(this, scope, 'attachResource', id, 'attachment');
    this.attachedResources.set(key, scope.node.path);
    const attachment = new HubResourceAttachment(scope, id, this, options, this.attachmentLookup().function);
    Flow.of(this).node(attachment, options.resourceType === HubAttachmentResourceType.VPN ? 'vpnAttachment' : 'directConnectAttachment',
      flowName(scope), { group: this.segment(options.segment).routeTable });
    this.flowAttachments.set(attachment.transitGatewayAttachmentId, attachment);
    this.propagating.push(attachment);
    this.propagate(attachment);
    const staticRoutes = options.staticRoutes ?? [];
    this.addRouteSource({
      segment: options.segment,
      description: `${options.resourceType} attachment ${attachment.node.path}`,
      cidrs: unique([...staticRoutes, ...options.remoteCidrs ?? []]),
      staticRoutes: staticRoutes.length === 0 ? undefined : {
        prop: 'staticRoutes',
        cidrs: staticRoutes,
        attachmentId: attachment.transitGatewayAttachmentId,
        scope: attachment,
        dependsOn: [attachment.lookup],
      },
    });
    return attachment;
  }

  /**
   * Places an attachment made outside this app in a segment: e.g. the VPC attachment an account the hub is
   * shared with (`shareWith`) created in its own stack. Creates the association with the segment's route
   * table and the propagations into every segment that reaches it (now and after later `connectSegments`),
   * and routes `remoteCidrs` from this hub's spoke VPCs that reach the segment. The attachment must be
   * accepted (by hand, or with `autoAcceptSharedAttachments`) before this is deployed; only the hub's owner
   * may associate and propagate attachments of a shared Transit Gateway
   * (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html).
   */
  public associateAttachment(id: string, options: AssociateAttachmentOptions): HubAttachmentAssociation {
    this.segment(options.segment);
    const attachmentId = options.transitGatewayAttachmentId;
    if (!Token.isUnresolved(attachmentId) && !ATTACHMENT_ID.test(attachmentId)) {
      fail(this, `associateAttachment transitGatewayAttachmentId must look like tgw-attach-0123456789abcdef0, but '${attachmentId}' was provided for '${id}'`);
    }
    const key = `attachment:${attachmentId}`;
    if (this.attachedResources.has(key)) {
      fail(this, `associateAttachment: ${attachmentId} is associated already by ${this.attachedResources.get(key)}; an attachment is associated with one route table, but it was associated again as '${id}'`);
    }
    requireLiteralList(this, 'associateAttachment remoteCidrs', options.remoteCidrs, 'each CIDR becomes a route in the spoke VPCs that reach the attachment');
    for (const cidr of options.remoteCidrs ?? []) {
      this.validateDestination('associateAttachment remoteCidrs', cidr);
    }
    requireFreeId(this, this, 'associateAttachment', id, 'association');
    const association = new HubAttachmentAssociation(this, id, this, options);
    Flow.of(this).node(association, 'attachment', id, { detail: attachmentId, group: this.segment(options.segment).routeTable });
    this.flowAttachments.set(attachmentId, association);
    this.attachedResources.set(key, association.node.path);
    this.propagating.push(association);
    this.propagate(association);
    this.addRouteSource({ segment: options.segment, description: `attachment ${attachmentId}`, cidrs: options.remoteCidrs ?? [] });
    return association;
  }

  /** The segments whose attachments reach those of `segment` (itself included). */
  public reachableSegments(segment: string): string[] {
    this.segment(segment);
    return [...this.segments.keys()].filter((name) => this.reaches(segment, name));
  }

  /** Routes a destination CIDR in a segment to an attachment (a VPC, VPN or peering attachment ID). */
  public addStaticRoute(segment: string, destinationCidrBlock: string, transitGatewayAttachmentId: string): ec2.CfnTransitGatewayRoute {
    this.validateDestination('addStaticRoute', destinationCidrBlock);
    this.claimRoute('addStaticRoute destinationCidrBlock', segment, destinationCidrBlock, `a static route added with addStaticRoute to ${transitGatewayAttachmentId}`);
    const routeTarget = this.flowAttachments.get(transitGatewayAttachmentId) ?? Flow.of(this).node(flowRef(this.segment(segment), `Route${routeIdSuffix(destinationCidrBlock)}Target`),
      'attachment', transitGatewayAttachmentId, { group: this.transitGateway });
    Flow.of(this).edge(this.segment(segment).routeTable, routeTarget, { label: `static ${destinationCidrBlock}` });
    return new ec2.CfnTransitGatewayRoute(this.segment(segment), `Route${routeIdSuffix(destinationCidrBlock)}`, {
      transitGatewayRouteTableId: this.segment(segment).routeTableId,
      destinationCidrBlock,
      transitGatewayAttachmentId,
    });
  }

  /**
   * Drops traffic to a destination CIDR in a segment's route table: traffic from the attachments
   * associated with the segment, only. Like any static route it beats propagated routes to the same
   * prefix, but a more specific route (propagated or static) still wins, and traffic in the other direction
   * is looked up in the other segment's route table.
   */
  public addBlackholeRoute(segment: string, destinationCidrBlock: string): ec2.CfnTransitGatewayRoute {
    this.validateDestination('addBlackholeRoute', destinationCidrBlock);
    this.claimRoute('addBlackholeRoute destinationCidrBlock', segment, destinationCidrBlock, 'a blackhole route');
    const dropped = Flow.of(this).node(flowRef(this.segment(segment), `Blackhole${routeIdSuffix(destinationCidrBlock)}`), 'blackhole', destinationCidrBlock, { group: this.transitGateway });
    Flow.of(this).edge(this.segment(segment).routeTable, dropped, { label: 'blackhole', style: 'blocked' });
    return new ec2.CfnTransitGatewayRoute(this.segment(segment), `Blackhole${routeIdSuffix(destinationCidrBlock)}`, {
      transitGatewayRouteTableId: this.segment(segment).routeTableId,
      destinationCidrBlock,
      blackhole: true,
    });
  }

  /** A Transit Gateway metric (namespace AWS/TransitGateway), e.g. BytesIn, PacketDropCountNoRoute. */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/TransitGateway',
      metricName,
      dimensionsMap: { TransitGateway: this.transitGatewayId },
      ...props,
    });
  }

  /**
   * Adds the given actions to every alarm of this construct, for the ALARM and OK states.
   */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    wireAlarmActions(this.alarms, actions);
  }

  /**
   * The routes of an associated peering: its peerCidrs from the spokes and, statically, in the route table
   * of every segment that reaches its own (after `dependsOn`, e.g. the acceptance). @internal
   */
  public _routePeering(peering: HubPeering, options: HubPeeringOptions, dependsOn: IConstruct[]): void {
    const cidrs = options.peerCidrs ?? [];
    this.addRouteSource({
      segment: options.segment,
      description: `peering ${peering.node.path}`,
      cidrs,
      staticRoutes: { prop: 'addPeering peerCidrs', cidrs, attachmentId: peering.transitGatewayAttachmentId, scope: peering, dependsOn },
    });
  }

  /**
   * Registers what is reachable through an attachment of a segment: spoke VPCs of every segment that
   * reaches it get routes to its CIDRs, and its static routes go to those segments' route tables, now and
   * after later attachments and connections.
   */
  private addRouteSource(source: RouteSource): void {
    const sources = this.sourcesBySegment.get(source.segment) ?? [];
    sources.push(source);
    this.sourcesBySegment.set(source.segment, sources);
    for (const name of this.reachableSegments(source.segment)) {
      this.addStaticRoutes(source, name);
      for (const spoke of this.bySegment.get(name) ?? []) {
        this.routeSpoke(spoke, source);
      }
    }
  }

  /** Whether attachments of segment `from` reach those of segment `to`. */
  private reaches(from: string, to: string): boolean {
    return from === to || this.connections.has(connectionKey(from, to));
  }

  /** Propagates the attachment into every segment that reaches its own, once each. */
  private propagate(attachment: PropagatingAttachment): void {
    for (const [name, segment] of this.segments) {
      if (!this.reaches(name, attachment.segment) || attachment._propagatedTo.has(name)) {
        continue;
      }
      attachment._propagatedTo.add(name);
      new ec2.CfnTransitGatewayRouteTablePropagation(attachment, `PropagationTo${name}`, {
        transitGatewayAttachmentId: attachment.transitGatewayAttachmentId,
        transitGatewayRouteTableId: segment.routeTableId,
      });
    }
  }

  /** The static routes of `source` in the route table of `segment` (once each). */
  private addStaticRoutes(source: RouteSource, segment: string): void {
    const routes = source.staticRoutes;
    if (routes === undefined) {
      return;
    }
    for (const cidr of routes.cidrs) {
      const id = `Route${routeIdSuffix(cidr)}${segment === source.segment ? '' : `In${segment}`}`;
      if (routes.scope.node.tryFindChild(id) !== undefined) {
        continue;
      }
      this.claimRoute(routes.prop, segment, cidr, `a static route of ${source.description}`);
      const route = new ec2.CfnTransitGatewayRoute(routes.scope, id, {
        transitGatewayRouteTableId: this.segment(segment).routeTableId,
        destinationCidrBlock: cidr,
        transitGatewayAttachmentId: routes.attachmentId,
      });
      for (const dependable of routes.dependsOn) {
        route.node.addDependency(dependable);
      }
    }
  }

  /**
   * Records a static or blackhole route of a segment's route table: a route table holds one route per
   * destination, so a second one for a literal prefix is an error naming both.
   */
  private claimRoute(what: string, segment: string, cidr: string, description: string): void {
    this.segment(segment);
    const claims = this.staticRoutesBySegment.get(segment) ?? new Map<string, string>();
    this.staticRoutesBySegment.set(segment, claims);
    // Two Token objects for one deploy-time value are one destination.
    const key = valueKey(this, cidr);
    const existing = claims.get(key);
    if (existing !== undefined) {
      fail(this, `${what}: the route table of segment '${segment}' has ${existing} to ${cidr} already; a Transit Gateway route table holds one route per destination, so ${description} cannot be added`);
    }
    claims.set(key, description);
  }

  /** Routes a spoke VPC to the destinations of `source` (unless its routes are fixed, or it is the source). */
  private routeSpoke(spoke: HubVpcAttachment, source: RouteSource): void {
    if (spoke._fixedRoutes === undefined && source.vpcAttachment !== spoke) {
      this.addRoutes(spoke, source.cidrs);
    }
  }

  /** Adds routes to the hub in the spoke's private and isolated route tables the attachment covers, once per CIDR. */
  private addRoutes(attachment: HubVpcAttachment, cidrs: string[]): void {
    for (const cidr of cidrs) {
      // One route per destination and route table (two Token objects for one value are one destination).
      const key = valueKey(this, cidr);
      if (attachment._routedCidrs.has(key)) {
        continue;
      }
      attachment._routedCidrs.add(key);
      attachment._routeTables.forEach((table, index) => {
        if (!table.routed) {
          return;
        }
        const route = new ec2.CfnRoute(attachment, `Route${index}To${routeIdSuffix(cidr)}`, {
          routeTableId: table.routeTableId,
          destinationCidrBlock: cidr,
          transitGatewayId: this.transitGatewayId,
        });
        // A route to a Transit Gateway needs the VPC attached first.
        route.node.addDependency(attachment.attachment);
      });
    }
    if (attachment._routedCidrs.size > VPC_ROUTE_TABLE_QUOTA - 5 && !attachment._quotaWarned) {
      attachment._quotaWarned = true;
      Annotations.of(attachment).addWarningV2('cdk-reference-patterns:vpcRouteQuota',
        `${attachment._routedCidrs.size} routes to the hub in each route table of ${attachment.vpc.node.path}: the default quota is ${VPC_ROUTE_TABLE_QUOTA} routes per route table; set vpcRoutes to a few summary CIDRs`);
    }
  }

  /** Fails when `range` overlaps a range of the sorted, overlap-free list (binary search: O(log n)). */
  private checkRange(range: CidrRange, sorted: CidrRange[]): void {
    const i = lowerBound(sorted, range.start);
    for (const other of [sorted[i - 1], sorted[i]]) {
      if (other !== undefined && other.start <= range.end && range.start <= other.end) {
        this.failOverlap(range, other);
      }
    }
  }

  /** Fails when two segments about to be connected hold overlapping ranges (a merge of two sorted lists). */
  private checkMergedRanges(a: string, b: string): void {
    const merged = [...(this.rangesBySegment.get(a) ?? []), ...(this.rangesBySegment.get(b) ?? [])].sort((x, y) => x.start - y.start);
    for (let i = 1; i < merged.length; i++) {
      if (merged[i].start <= merged[i - 1].end) {
        this.failOverlap(merged[i], merged[i - 1]);
      }
    }
  }

  private failOverlap(a: CidrRange, b: CidrRange): never {
    return fail(this, `VPC CIDRs must not overlap between VPCs that reach each other through the hub, but ${a.path} (${a.cidr}) overlaps ${b.path} (${b.cidr})`);
  }

  /**
   * Refuses a VPC of another region or account: a Transit Gateway attaches VPCs of its own region, and a VPC
   * of another account attaches from that account after the hub is shared
   * (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html).
   */
  private checkVpcEnvironment(id: string, vpc: ec2.IVpc): void {
    const hub = Stack.of(this);
    const difference = envDifference(hub, vpc.env);
    if (difference === 'region') {
      fail(this, `attachVpc '${id}': ${vpc.node.path} is in region ${vpc.env.region}, but a Transit Gateway attaches VPCs of its own region (${hub.region}): attach it to a hub in ${vpc.env.region} and peer the hubs with addPeering`);
    }
    if (difference === 'account') {
      fail(this, `attachVpc '${id}': ${vpc.node.path} is in account ${vpc.env.account}, but the hub is in ${hub.account}: share the hub with that account (shareWith), create the attachment in a stack of that account, and place it in a segment with associateAttachment`);
    }
  }

  /**
   * Secondary CIDR blocks of the attached VPCs that `attachVpc` did not see (defined later, or elsewhere
   * in the stack): they would be neither routed nor overlap-checked.
   */
  private validateSecondaryCidrs(): string[] {
    const problems: string[] = [];
    const blocksByStack = new Map<Stack, ec2.CfnVPCCidrBlock[]>();
    for (const attachment of this.attachments) {
      const stack = Stack.of(attachment.vpc);
      if (!blocksByStack.has(stack)) {
        blocksByStack.set(stack, stack.node.findAll().filter((c): c is ec2.CfnVPCCidrBlock => c instanceof ec2.CfnVPCCidrBlock));
      }
      for (const cidr of literalCidrBlocks(attachment.vpc, blocksByStack.get(stack)!)) {
        if (!attachment.secondaryCidrs.includes(cidr)) {
          problems.push(`attachVpc '${attachment.node.id}': ${attachment.vpc.node.path} has the secondary CIDR block ${cidr}, which attachVpc did not see: define the ec2.CfnVPCCidrBlock in the VPC's scope or at the top of its stack, before attachVpc, so that the hub routes and overlap-checks it`);
        }
      }
    }
    return problems;
  }

  private selectAttachmentSubnets(id: string, options: AttachVpcOptions): ec2.ISubnet[] {
    const vpc = options.vpc;
    let selection = options.subnets;
    if (selection === undefined) {
      const groups = subnetGroupNames(vpc).filter((name) => /transit|tgw|attach/i.test(name));
      if (groups.length === 0 && vpc.privateSubnets.length === 0 && vpc.isolatedSubnets.length === 0) {
        fail(this, `attachVpc '${id}': subnets must be given for ${vpc.node.path}, which has no attachment, private or isolated subnets to choose by default (its route tables get routes to the hub only from private and isolated subnets): add dedicated attachment subnets to the VPC, or select its public subnets explicitly`);
      }
      selection = groups.length > 0
        ? { subnetGroupName: groups[0] }
        : vpc.privateSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
      selection = { ...selection, onePerAz: true };
    }
    const subnets = selectSubnetsFor(this, `attachVpc '${id}' subnets`, vpc, selection);
    if (subnets.length === 0 && isPendingLookup(vpc)) {
      // Vpc.fromLookup's placeholder has no subnet of the selected group: its dummy subnets stand in until
      // the CLI has looked the VPC up.
      return vpc.privateSubnets;
    }
    if (subnets.length === 0) {
      fail(this, `attachVpc '${id}': the subnet selection of ${vpc.node.path} holds no subnet`);
    }
    const byAz = new Map<string, string>();
    for (const subnet of subnets) {
      // An AZ that is a Token, or not known (a subnet imported without it), is not checked.
      const az = azOf(subnet);
      if (az === undefined || Token.isUnresolved(az)) {
        continue;
      }
      if (byAz.has(az)) {
        fail(this, `attachVpc '${id}': subnets must be one per Availability Zone, but ${byAz.get(az)} and ${subnet.node.path} are both in ${az}`);
      }
      byAz.set(az, subnet.node.path);
    }
    return subnets;
  }

  private validateDestination(method: string, cidr: string): void {
    if (!isTokenElement(cidr) && !isIpv4Cidr(cidr)) {
      fail(this, `${method} destinationCidrBlock must be an IPv4 CIDR block such as 10.20.0.0/16, but '${cidr}' was provided`);
    }
  }

  /** The function that looks up VPN and Direct Connect gateway attachments of this hub. */
  private attachmentLookup(): HandlerFunction {
    return this.handlers.get('AttachmentLookup') ?? this.handler('AttachmentLookup', 'attachment-lookup',
      `Looks up the VPN and Direct Connect gateway attachments of ${this.node.path} and waits until they are available`,
      ['ec2:DescribeTransitGatewayAttachments']);
  }

  /** The function that accepts peering attachments, shared by the hub's peerings; its rights grow per peer. */
  private peeringAcceptor(): HandlerFunction {
    return this.handlers.get('PeeringAcceptor') ?? this.handler('PeeringAcceptor', 'peering-acceptor',
      `Accepts Transit Gateway peering attachments of ${this.node.path} and waits until they are available`,
      ['ec2:DescribeTransitGatewayPeeringAttachments']);
  }

  /** A handler function whose managed policy allows `describeActions` (and grows with what is granted). */
  private handler(id: string, handler: string, description: string, describeActions: string[]): HandlerFunction {
    const fn = handlerFunction(this, id, {
      bundle: handler,
      description,
      logEncryptionKey: this.logEncryptionKey,
    });
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: describeActions,
      // EC2 Describe* actions do not support resource-level permissions: AWS requires "*".
      resources: ['*'],
    }));
    acknowledgeRules(policyResource(fn.role), {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${describeActions.join(', ')} does not support resource-level permissions; it is the only action granted on "*"`,
    });
    this.handlers.set(id, fn);
    return fn;
  }

  private createFlowLogs(retention: logs.RetentionDays): logs.LogGroup {
    return cloudWatchFlowLog(this, 'FlowLog', {
      resourceType: 'TransitGateway',
      resourceId: this.transitGatewayId,
      retention,
      encryptionKey: this.logEncryptionKey,
      // Transit Gateway flow logs aggregate over 60 seconds only.
      maxAggregationInterval: 60,
    });
  }

  private validateProps(props: HubTransitGatewayProps): void {
    const asn = props.amazonSideAsn;
    if (asn !== undefined && !Token.isUnresolved(asn)
      && !(Number.isInteger(asn) && ASN_RANGES.some(([min, max]) => asn >= min && asn <= max))) {
      fail(this, `amazonSideAsn must be a whole number in 64512-65534 or 4200000000-4294967294, but ${asn} was provided`);
    }
    const segments = props.segments;
    if (segments !== undefined) {
      if (segments.length === 0) {
        fail(this, 'segments must name at least one segment, but an empty list was provided');
      }
      requireLiteralList(this, 'segments', segments, 'each segment has its own route table');
      const seen = new Set<string>();
      for (const name of segments) {
        if (isTokenElement(name)) {
          fail(this, `segments names must be known at synth (they name the route tables and the segments attachments refer to), but a Token was provided: ${name}`);
        }
        if (!SEGMENT_NAME.test(name)) {
          fail(this, `segments names must start with a letter and hold up to 63 letters, digits, hyphens or underscores, but '${name}' was provided`);
        }
        if (seen.has(name)) {
          fail(this, `segments names must be unique, but '${name}' was provided twice`);
        }
        seen.add(name);
      }
    }
    // A list Token (a CommaDelimitedList parameter, Fn.split) goes to the resource share as it is.
    for (const principal of literalElements(props.shareWith)) {
      const ok = /^\d{12}$/.test(principal)
        || /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/.test(principal)
        || /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/.test(principal);
      if (!ok) {
        fail(this, `shareWith must hold 12-digit account IDs, an organization ARN or organizational unit ARNs, but '${principal}' was provided`);
      }
    }
    if (props.shareWith !== undefined && props.shareWith.length === 0) {
      fail(this, 'shareWith must list at least one principal when given, but an empty list was provided');
    }
    if (props.flowLogsRetention !== undefined && !props.flowLogs) {
      fail(this, 'flowLogsRetention applies only with flowLogs true, but flowLogs is false');
    }
  }
}

function enable(on: boolean): string {
  return on ? 'enable' : 'disable';
}

function connectionKey(a: string, b: string): string {
  return [a, b].sort().join('\u0000');
}

/** Fails when two CIDRs of one VPC overlap (a secondary block inside the primary one, for instance). */
function checkOwnRanges(scope: HubTransitGateway, ranges: CidrRange[]): void {
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (ranges[i].start <= ranges[j].end && ranges[j].start <= ranges[i].end) {
        fail(scope, `VPC CIDRs must not overlap between VPCs that reach each other through the hub, but ${ranges[j].path} (${ranges[j].cidr}) overlaps ${ranges[i].path} (${ranges[i].cidr})`);
      }
    }
  }
}

/**
 * The distinct route tables of the VPC's private and isolated subnets, each routed to the hub only when
 * one of its subnets is in an AZ the attachment covers: AWS forwards traffic to a Transit Gateway only from
 * AZs where the attachment has a subnet
 * (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html). A warning names subnets left out.
 */
function spokeRouteTables(
  attachment: HubVpcAttachment, id: string, vpc: ec2.IVpc, attachmentSubnets: ec2.ISubnet[],
): Array<{ routeTableId: string; routed: boolean }> {
  const azs = attachmentSubnets.map(azOf);
  // An attachment subnet whose AZ is a Token or not known could be anywhere: every AZ counts as covered.
  const unknown = (az: string | undefined) => az === undefined || Token.isUnresolved(az);
  const covers = (az: string | undefined) => unknown(az) || azs.some(unknown) || azs.includes(az);
  const tables = new Map<string, ec2.ISubnet[]>();
  const withoutTable: string[] = [];
  for (const subnet of [...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    const routeTableId = subnet.routeTable?.routeTableId;
    if (routeTableId === undefined) {
      withoutTable.push(subnet.node.path);
      continue;
    }
    tables.set(routeTableId, [...tables.get(routeTableId) ?? [], subnet]);
  }
  if (withoutTable.length > 0) {
    Annotations.of(attachment).addWarningV2('cdk-reference-patterns:attachmentNoRouteTable',
      `attachVpc '${id}': ${withoutTable.join(', ')} were imported without route table IDs, so their route tables get no route to the hub: give privateSubnetRouteTableIds and isolatedSubnetRouteTableIds to Vpc.fromVpcAttributes, or add the routes yourself`);
  }
  const uncovered: string[] = [];
  const result = [...tables].map(([routeTableId, subnets]) => {
    const outside = subnets.filter((s) => !covers(azOf(s)));
    uncovered.push(...outside.map((s) => `${s.node.path} (${azOf(s) ?? 'unknown AZ'})`));
    return { routeTableId, routed: outside.length < subnets.length };
  });
  if (uncovered.length > 0) {
    Annotations.of(attachment).addWarningV2('cdk-reference-patterns:attachmentAzCoverage',
      `attachVpc '${id}': ${uncovered.join(', ')} cannot reach the hub: the attachment has no subnet in their Availability Zone, and AWS forwards traffic to a Transit Gateway only from AZs the attachment covers; their route tables get no route to the hub unless they also serve a covered AZ (give subnets one subnet in each AZ to cover them)`);
  }
  return result;
}

/** The subnet group names of a VPC (the aws-cdk:subnet-name of its subnets). */
function subnetGroupNames(vpc: ec2.IVpc): string[] {
  const names = new Set<string>();
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    const name = subnet.node.id.replace(/Subnet\d+$/, '');
    names.add(name);
  }
  return [...names];
}

/** A VPC's literal CIDR as a numeric range. */
interface CidrRange {
  readonly start: number;
  readonly end: number;
  readonly cidr: string;
  readonly path: string;
}

/** The index of the first range starting at or after `start`. */
function lowerBound(sorted: CidrRange[], start: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (sorted[mid].start < start) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function insertSorted(map: Map<string, CidrRange[]>, key: string, range: CidrRange): void {
  const list = map.get(key) ?? [];
  list.splice(lowerBound(list, range.start), 0, range);
  map.set(key, list);
}
