import * as crypto from 'crypto';
import { Annotations, ArnFormat, Aws, Duration, Fn, Names, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as directconnect from 'aws-cdk-lib/aws-directconnect';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct, IDependable } from 'constructs';
import { HubAttachmentResourceType, HubResourceAttachment, HubTransitGateway } from './hub-transit-gateway';
import { cidrContains, nameTag, parseCidr, routeIdSuffix } from './private/cidr';
import { envDifference } from './private/env';
import { isPendingLookup, literalVpcCidr, secondaryCidrBlocks, selectSubnetsFor, vpcCidrOf } from './private/vpc';
import { IMonitoredPattern } from '../core/monitoring';
import { wireAlarmActions } from '../core/private/alarms';
import { Flow, flowName, flowRef, FlowRef } from '../core/private/flow';
import { logGroup } from '../core/private/log-groups';
import { watchResourceBudget } from '../core/private/resource-budget';
import { fail, isIpv4Cidr, isTokenElement, literalElements, requireLiteralList, templateSeconds, validateInteger, valueKey, wholeSeconds } from '../core/private/validation';

// Site-to-Site VPN tunnel option ranges (ModifyVpnTunnelOptions / VpnTunnelOptionsSpecification).
const PHASE1_LIFETIME = [900, 28_800];
const PHASE2_LIFETIME = [900, 3_600];
const REPLAY_WINDOW = [64, 2_048];
const MIN_DPD_TIMEOUT = 30;
const MIN_REKEY_MARGIN = 60;
/** Inside CIDRs AWS reserves (169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30). */
const RESERVED_INSIDE_CIDRS = ['169.254.0.0/30', '169.254.1.0/30', '169.254.2.0/30', '169.254.3.0/30',
  '169.254.4.0/30', '169.254.5.0/30', '169.254.169.252/30'];
/** Strong algorithms only: no AES-128, no SHA-1, no DH groups below 14 nor the RFC 5114 groups 22-24. */
const ENCRYPTION_ALGORITHMS = ['AES256', 'AES256-GCM-16'];
const INTEGRITY_ALGORITHMS = ['SHA2-256', 'SHA2-384', 'SHA2-512'];
const DH_GROUPS = [14, 15, 16, 17, 18, 19, 20, 21];
/** ASNs Site-to-Site VPN reserves (7224 everywhere, the others in one region each). */
const RESERVED_ASNS: Record<number, string | undefined> = {
  7224: undefined, 9059: 'eu-west-1', 10124: 'ap-northeast-1', 17943: 'ap-southeast-1',
};
const MAX_BGP_ASN = 2_147_483_647;
const MAX_EXTENDED_ASN = 4_294_967_294;
const AMAZON_ASN_RANGES: Array<[number, number]> = [[64_512, 65_534], [4_200_000_000, 4_294_967_294]];
/**
 * A tunnel's pre-shared key: 8-64 letters, digits, periods and underscores, not starting with 0
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-vpnconnection-vpntunneloptionsspecification.html).
 */
const PRE_SHARED_KEY = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;
/** The punctuation Secrets Manager draws generated passwords from (GetRandomPassword). */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * The virtual private gateway of a VPC, shared by every HybridVpn on that VPC: EC2 attaches one virtual
 * private gateway per VPC (https://docs.aws.amazon.com/vpn/latest/s2svpn/SetUpVPNConnections.html).
 */
interface VpcGateway {
  readonly vpnGatewayId: string;
  /** Its ASN, when known at synth. */
  readonly asn?: number;
  /** Who created or found it, for messages. */
  readonly owner: string;
  /** The gateway resource, when a HybridVpn created it. */
  readonly resource?: ec2.CfnVPNGateway;
  /** What must exist before the gateway is usable (its attachment to the VPC), when made in this app. */
  readonly attached?: IDependable;
  /** Whether it was made outside this app (an imported VPC's `vpnGatewayId`). */
  readonly external: boolean;
  /** Route tables it propagates into already. */
  readonly propagatedTo: Set<string>;
  /** The HybridVpn that associated a Direct Connect gateway with it (a gateway takes one). */
  directConnect?: string;
}

/** The gateways of the VPCs of this app: by VPC object, and by literal VPC ID per app (a VPC imported twice). */
const gatewaysByVpc = new WeakMap<ec2.IVpc, VpcGateway>();
const gatewaysByVpcId = new WeakMap<IConstruct, Map<string, VpcGateway>>();
/** Customer gateways of this app by account, region, IP, ASN and device name: EC2 returns the same one. */
const customerGateways = new WeakMap<IConstruct, Map<string, ec2.CfnCustomerGateway>>();

/** What a tunnel does when dead peer detection times out. */
export enum DpdTimeoutAction {
  /** Restart the IKE session (the tunnel comes back without the customer gateway initiating). */
  RESTART = 'restart',
  /** End the IKE session and clear the tunnel. */
  CLEAR = 'clear',
  /** Do nothing. */
  NONE = 'none',
}

/** Who starts the IKE negotiation of a tunnel. */
export enum VpnStartupAction {
  /** The customer gateway starts it. */
  ADD = 'add',
  /** AWS starts it (IKEv2 only). */
  START = 'start',
}

/** The bandwidth of each tunnel. */
export enum VpnTunnelBandwidth {
  /** Up to 1.25 Gbps per tunnel. */
  STANDARD = 'standard',
  /** Up to 5 Gbps per tunnel (Transit Gateway only). */
  LARGE = 'large',
}

/**
 * Options for a VPN that ends on a virtual private gateway of a VPC.
 *
 * A VPC has one virtual private gateway: the first HybridVpn on a VPC creates it (unless the VPC has one,
 * e.g. an `ec2.Vpc` with `vpnGateway: true`, whose gateway is used), and every later HybridVpn on the same
 * VPC object, or on a VPC imported with the same literal VPC ID, in this app uses it too.
 */
export interface VpnGatewayOptions {
  /**
   * The virtual private gateway's BGP ASN (its own, not the customer gateway's). Applies to the gateway
   * this construct creates; with a gateway the VPC has already, it must match that gateway's ASN.
   *
   * @default 64512
   */
  readonly amazonSideAsn?: number;

  /**
   * The subnets whose route tables receive the routes the gateway learns (each route table once, whichever
   * HybridVpn on the VPC asks first).
   *
   * @default - the private and isolated subnets; none for a gateway made outside this app (an imported
   * VPC's `vpnGatewayId`), whose propagation is left as it is (a warning says so)
   */
  readonly routePropagation?: ec2.SubnetSelection[];
}

/**
 * Where a HybridVpn ends: a VPC (through a new virtual private gateway) or a HubTransitGateway segment.
 */
export abstract class VpnTarget {
  /** A VPC (in the HybridVpn's account and region), through its virtual private gateway with route propagation. */
  public static vpc(vpc: ec2.IVpc, options: VpnGatewayOptions = {}): VpnTarget {
    return new class extends VpnTarget {
      public readonly targetVpc = vpc;
      public readonly vpnGatewayOptions = options;
    }();
  }

  /** A segment of a HubTransitGateway (in the HybridVpn's account and region). */
  public static transitGateway(hub: HubTransitGateway, segment: string): VpnTarget {
    return new class extends VpnTarget {
      public readonly targetHub = hub;
      public readonly targetSegment = segment;
    }();
  }

  /** The VPC, for a VPC target. */
  public readonly targetVpc?: ec2.IVpc;
  /** The gateway options, for a VPC target. */
  public readonly vpnGatewayOptions?: VpnGatewayOptions;
  /** The hub, for a Transit Gateway target. */
  public readonly targetHub?: HubTransitGateway;
  /** The segment, for a Transit Gateway target. */
  public readonly targetSegment?: string;
}

/**
 * One of the two tunnels of a HybridVpn.
 */
export interface VpnTunnel {
  /**
   * The tunnel's inside CIDR: a /30 in 169.254.0.0/16 other than the blocks AWS reserves.
   *
   * @default - chosen by AWS
   */
  readonly insideCidr?: string;

  /**
   * A Secrets Manager secret whose SecretString is the tunnel's pre-shared key itself (plain text, not
   * JSON): 8-64 characters of letters, digits, periods and underscores, not starting with 0. Only a dynamic
   * reference to it enters the template. A secret defined in this app is checked at synth: a literal value
   * must follow the rules, and a generated one must draw only allowed characters and never a leading 0
   * (e.g. `generateSecretString: { passwordLength: 32, excludePunctuation: true, excludeCharacters: '0' }`).
   * Changing it replaces the VPN connection.
   *
   * @default - AWS generates the key and stores it in Secrets Manager
   */
  readonly preSharedKeySecret?: secretsmanager.ISecret;
}

/**
 * Direct Connect for a HybridVpn: a Direct Connect gateway associated with the same gateway as the VPN,
 * so that Direct Connect carries the traffic and the VPN is the backup path.
 */
export interface VpnDirectConnectOptions {
  /**
   * An existing Direct Connect gateway.
   *
   * @default - a new Direct Connect gateway
   */
  readonly directConnectGatewayId?: string;

  /**
   * The BGP ASN of a new Direct Connect gateway: 64512-65534 or 4200000000-4294967294.
   *
   * @default 64513
   */
  readonly amazonSideAsn?: number;

  /**
   * The prefixes advertised to on-premises over Direct Connect. Required with a Transit Gateway. With a
   * virtual private gateway each must be the same as or wider than one of the VPC's CIDRs: AWS advertises
   * whole VPC CIDRs only, so a narrower prefix advertises nothing
   * (https://docs.aws.amazon.com/directconnect/latest/UserGuide/allowed-to-prefixes.html).
   *
   * @default - the VPC's CIDRs (virtual private gateway target)
   */
  readonly allowedPrefixes?: string[];
}

/**
 * Properties for a HybridVpn.
 */
export interface HybridVpnProps {
  /**
   * The public IPv4 address of the customer gateway device. HybridVpns of one app with the same IP, ASN
   * and device name in one account and region share one customer gateway (EC2 returns the existing one
   * for an identical request). Changing it replaces the customer gateway and the VPN connection.
   */
  readonly customerGatewayIp: string;

  /**
   * The customer gateway's BGP ASN: 1-2147483647, or 2147483648-4294967294 as a 4-byte ASN. Changing it
   * replaces the customer gateway and the VPN connection.
   *
   * @default 65000
   */
  readonly customerGatewayAsn?: number;

  /**
   * A name for the customer gateway device. Changing it replaces the customer gateway and the VPN
   * connection.
   *
   * @default - none
   */
  readonly customerGatewayDeviceName?: string;

  /**
   * Where the VPN ends: `VpnTarget.vpc(vpc)` or `VpnTarget.transitGateway(hub, segment)`, in this stack's
   * account and region. Changing it replaces the VPN connection.
   */
  readonly target: VpnTarget;

  /**
   * Static routing with these on-premises prefixes instead of BGP. BGP is preferred: it fails over
   * between tunnels by itself and is needed for ECMP on a Transit Gateway. On a Transit Gateway the
   * prefixes are routed to the VPN in its segment and every segment connected to it (now and after later
   * `connectSegments`), and from the spoke VPCs of those segments. Switching between static and BGP
   * routing replaces the VPN connection; changing the prefixes does not.
   *
   * @default - BGP (dynamic routing)
   */
  readonly staticRoutes?: string[];

  /**
   * The on-premises prefixes reached through a VPN on a Transit Gateway, routed to the hub from the spoke
   * VPCs whose segment reaches the VPN's segment (BGP propagates them into the Transit Gateway's route
   * tables, but the hub cannot know them at synth). A virtual private gateway propagates what it learns
   * into the VPC's route tables itself, so this applies to a Transit Gateway target only.
   *
   * @default - the staticRoutes with static routing; none with BGP
   */
  readonly onPremisesCidrs?: string[];

  /**
   * The two tunnels' inside CIDRs and pre-shared keys. Changing them replaces the VPN connection.
   *
   * @default - two tunnels with AWS-chosen inside CIDRs and AWS-generated keys stored in Secrets Manager
   */
  readonly tunnels?: VpnTunnel[];

  /**
   * Phase 1 and phase 2 encryption algorithms (AES256, AES256-GCM-16).
   *
   * @default ['AES256', 'AES256-GCM-16']
   */
  readonly encryptionAlgorithms?: string[];

  /**
   * Phase 1 and phase 2 integrity algorithms (SHA2-256, SHA2-384, SHA2-512).
   *
   * @default ['SHA2-256', 'SHA2-384', 'SHA2-512']
   */
  readonly integrityAlgorithms?: string[];

  /**
   * Phase 1 and phase 2 Diffie-Hellman groups (14-21).
   *
   * @default [14, 15, 16, 17, 18, 19, 20, 21]
   */
  readonly dhGroups?: number[];

  /**
   * The phase 1 (IKE) lifetime: 900-28,800 seconds.
   *
   * @default Duration.hours(8)
   */
  readonly phase1Lifetime?: Duration;

  /**
   * The phase 2 (IPsec) lifetime: 900-3,600 seconds, less than the phase 1 lifetime.
   *
   * @default Duration.hours(1)
   */
  readonly phase2Lifetime?: Duration;

  /**
   * How long before the phase 2 lifetime ends AWS rekeys: 60 seconds to half the phase 2 lifetime.
   *
   * @default Duration.seconds(270)
   */
  readonly rekeyMarginTime?: Duration;

  /**
   * The random share of the rekey margin, 0-100 percent.
   *
   * @default 100
   */
  readonly rekeyFuzzPercentage?: number;

  /**
   * The IKE replay window: 64-2,048 packets.
   *
   * @default 1024
   */
  readonly replayWindowSize?: number;

  /**
   * Dead peer detection timeout: at least 30 seconds.
   *
   * @default Duration.seconds(30)
   */
  readonly dpdTimeout?: Duration;

  /**
   * What happens when dead peer detection times out.
   *
   * @default DpdTimeoutAction.RESTART
   */
  readonly dpdTimeoutAction?: DpdTimeoutAction;

  /**
   * Who starts the IKE negotiation.
   *
   * @default VpnStartupAction.ADD
   */
  readonly startupAction?: VpnStartupAction;

  /**
   * How long tunnel (and BGP) logs are kept in CloudWatch Logs.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Whether the VPN uses AWS Global Accelerator (Transit Gateway only). Changing it replaces the VPN
   * connection.
   *
   * @default false
   */
  readonly acceleration?: boolean;

  /**
   * The bandwidth of each tunnel. Changing it replaces the VPN connection.
   *
   * @default VpnTunnelBandwidth.STANDARD
   */
  readonly tunnelBandwidth?: VpnTunnelBandwidth;

  /**
   * Direct Connect as the primary path, with the VPN as its backup.
   *
   * @default - no Direct Connect
   */
  readonly directConnect?: VpnDirectConnectOptions;

  /**
   * Whether to alarm when a tunnel is down and when both are.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Actions (an SNS topic, an incident tool) for every alarm, for the ALARM and OK states. More can be
   * added with `addAlarmAction`.
   *
   * @default - none: the alarms change state and show in the console only
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * A customer managed KMS key for the tunnel log group. A key defined in this app gets a key policy
   * statement letting CloudWatch Logs in this region use it for this account's log groups; an imported key
   * must allow that already (a warning says so).
   *
   * @default - CloudWatch Logs' own encryption at rest
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * A guard against replacing a live VPN connection. Every setting of a VPN connection but its tags
   * requires replacement when changed (new tunnel endpoint IPs and pre-shared keys: traffic stops until
   * the customer gateway device is reconfigured), and so do the customer gateway's IP, ASN and device name.
   * Set this to the `vpnConnectionFingerprint` of the deployed connection (synth prints it): synth then
   * fails when a change would replace the connection, and passes again once you set the new fingerprint.
   *
   * @default - no guard: a change that replaces the connection is deployed as such
   */
  readonly vpnConnectionFingerprint?: string;
}

/**
 * A Site-to-Site VPN from an on-premises customer gateway to a VPC (virtual private gateway) or to a
 * HubTransitGateway segment, with hardened tunnels (IKEv2 only, AES-256 and SHA-2, DH groups 14-21, DPD
 * restart), keys kept out of the template, tunnel and BGP logs, alarms, and optionally a Direct Connect
 * gateway as the primary path.
 *
 * Every setting of the VPN connection but its tags replaces the connection when changed (see
 * `vpnConnectionFingerprint` for a guard).
 */
export class HybridVpn extends Construct implements IMonitoredPattern {
  /** The VPN connection. */
  public readonly vpnConnection: ec2.CfnVPNConnection;

  /** The VPN connection ID. */
  public readonly vpnConnectionId: string;

  /**
   * The customer gateway (shared with the HybridVpns of this app that name the same device: IP, ASN and
   * device name, in this account and region).
   */
  public readonly customerGateway: ec2.CfnCustomerGateway;

  /** The virtual private gateway, for a VPC target, when this construct created it. */
  public readonly vpnGateway?: ec2.CfnVPNGateway;

  /** The ID of the VPC's virtual private gateway, for a VPC target (created here, or the VPC's own). */
  public readonly vpnGatewayId?: string;

  /** The VPN's attachment on the hub, for a Transit Gateway target. */
  public readonly hubAttachment?: HubResourceAttachment;

  /** The Direct Connect gateway, when created here. */
  public readonly directConnectGateway?: directconnect.CfnDirectConnectGateway;

  /** The log group of tunnel and BGP logs (its name starts with /aws/vendedlogs/). */
  public readonly logGroup: logs.LogGroup;

  /**
   * A hash of every setting whose change replaces the VPN connection (connection, customer gateway,
   * virtual private gateway). Pin it in `vpnConnectionFingerprint` to have synth refuse such a change.
   */
  public readonly vpnConnectionFingerprint: string;

  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  private readonly target: VpnTarget;

  constructor(scope: Construct, id: string, props: HybridVpnProps) {
    super(scope, id);
    this.target = props.target;
    watchResourceBudget(this);
    const stack = Stack.of(this);
    const target = props.target;
    const asn = props.customerGatewayAsn ?? 65_000;
    const bgp = props.staticRoutes === undefined;
    this.validateProps(props, asn);
    const gateway = target.targetVpc === undefined ? undefined : this.vpcGateway(target.targetVpc, target.vpnGatewayOptions ?? {});
    this.validateGatewayUse(props, asn, gateway);

    this.customerGateway = this.sharedCustomerGateway(id, props, asn);

    if (gateway !== undefined) {
      this.vpnGatewayId = gateway.vpnGatewayId;
      this.vpnGateway = gateway.owner === this.node.path ? gateway.resource : undefined;
      this.propagateRoutes(target.targetVpc!, target.vpnGatewayOptions?.routePropagation, gateway);
    }

    // Vended logs go to a group under /aws/vendedlogs/, which CloudWatch Logs allows without adding the
    // group to the account's 5,120-character resource policy
    // (https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-logs.html). The group is kept when the stack
    // is deleted (logs are audit data), so its name ends in the stack's own ID: deploying the stack again
    // after a `cdk destroy` makes a new group instead of failing on the kept one's name.
    const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    this.logGroup = logGroup(this, 'TunnelLogs', {
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
      logGroupName: `/aws/vendedlogs/vpn/${Names.uniqueResourceName(this, { maxLength: 160, separator: '-' })}-${stackUuid}`,
    });
    // The log group's ARN as CloudWatch Logs documents it, without the ':*' of its Arn attribute
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html).
    const logGroupArn = stack.formatArn({
      service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const suppliedKeys = (props.tunnels ?? []).filter((t) => t.preSharedKeySecret !== undefined).length;
    const tunnels: VpnTunnel[] = props.tunnels ?? [{}, {}];
    const algorithms = {
      encryption: props.encryptionAlgorithms ?? ENCRYPTION_ALGORITHMS,
      integrity: props.integrityAlgorithms ?? INTEGRITY_ALGORITHMS,
      dh: props.dhGroups ?? DH_GROUPS,
    };

    const connectionProps: ec2.CfnVPNConnectionProps = {
      type: 'ipsec.1',
      customerGatewayId: this.customerGateway.ref,
      vpnGatewayId: this.vpnGatewayId,
      transitGatewayId: target.targetHub?.transitGatewayId,
      staticRoutesOnly: bgp ? false : true,
      enableAcceleration: props.acceleration,
      tunnelBandwidth: props.tunnelBandwidth,
      // Keys AWS generates are kept in Secrets Manager, not returned in the configuration download.
      preSharedKeyStorage: suppliedKeys === 0 ? 'SecretsManager' : undefined,
      vpnTunnelOptionsSpecifications: tunnels.map((tunnel) => ({
        tunnelInsideCidr: tunnel.insideCidr,
        preSharedKey: tunnel.preSharedKeySecret
          ? SecretValue.secretsManager(tunnel.preSharedKeySecret.secretArn).unsafeUnwrap() // a dynamic reference, not the key
          : undefined,
        ikeVersions: [{ value: 'ikev2' }],
        phase1EncryptionAlgorithms: algorithms.encryption.map((value) => ({ value })),
        phase2EncryptionAlgorithms: algorithms.encryption.map((value) => ({ value })),
        phase1IntegrityAlgorithms: algorithms.integrity.map((value) => ({ value })),
        phase2IntegrityAlgorithms: algorithms.integrity.map((value) => ({ value })),
        phase1DhGroupNumbers: algorithms.dh.map((value) => ({ value })),
        phase2DhGroupNumbers: algorithms.dh.map((value) => ({ value })),
        // Tokens reach the template unchanged (validateProps refused a Token in another unit than seconds).
        phase1LifetimeSeconds: templateSeconds(this, 'phase1Lifetime', props.phase1Lifetime) ?? 28_800,
        phase2LifetimeSeconds: templateSeconds(this, 'phase2Lifetime', props.phase2Lifetime) ?? 3_600,
        rekeyMarginTimeSeconds: templateSeconds(this, 'rekeyMarginTime', props.rekeyMarginTime) ?? 270,
        rekeyFuzzPercentage: props.rekeyFuzzPercentage ?? 100,
        replayWindowSize: props.replayWindowSize ?? 1_024,
        dpdTimeoutSeconds: templateSeconds(this, 'dpdTimeout', props.dpdTimeout) ?? MIN_DPD_TIMEOUT,
        dpdTimeoutAction: props.dpdTimeoutAction ?? DpdTimeoutAction.RESTART,
        startupAction: props.startupAction ?? VpnStartupAction.ADD,
        logOptions: {
          cloudwatchLogOptions: {
            logEnabled: true,
            logGroupArn,
            logOutputFormat: 'json',
            ...(bgp ? { bgpLogEnabled: true, bgpLogGroupArn: logGroupArn, bgpLogOutputFormat: 'json' } : {}),
          },
        },
      })),
    };
    this.vpnConnection = new ec2.CfnVPNConnection(this, 'Resource', { ...connectionProps, tags: [nameTag(this, id)] });
    if (gateway?.attached !== undefined) {
      this.vpnConnection.node.addDependency(gateway.attached);
    }
    this.vpnConnectionId = this.vpnConnection.ref;
    this.vpnConnectionFingerprint = this.guardReplacement(props, connectionProps, gateway);

    if (target.targetHub !== undefined) {
      this.hubAttachment = target.targetHub.attachResource(this, 'HubAttachment', {
        resourceType: HubAttachmentResourceType.VPN,
        resourceId: this.vpnConnectionId,
        segment: target.targetSegment!,
        staticRoutes: props.staticRoutes,
        remoteCidrs: props.onPremisesCidrs,
      });
      if (!bgp) {
        Annotations.of(this).addWarningV2('cdk-reference-patterns:staticVpnOnTgw',
          'staticRoutes on a Transit Gateway: traffic uses one tunnel at a time (ECMP across tunnels needs BGP) and failover waits for dead peer detection');
      }
    } else {
      for (const cidr of props.staticRoutes ?? []) {
        new ec2.CfnVPNConnectionRoute(this, `Route${routeIdSuffix(cidr)}`, {
          vpnConnectionId: this.vpnConnectionId,
          destinationCidrBlock: cidr,
        });
      }
    }
    this.describeFlow(props, tunnels, asn, gateway);

    if (props.directConnect !== undefined) {
      this.directConnectGateway = this.addDirectConnect(props.directConnect, gateway);
      // A Transit Gateway prefers static routes over every propagated one, Direct Connect's included:
      // https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html (route evaluation order)
      if (!bgp && target.targetHub !== undefined) {
        Annotations.of(this).addWarningV2('cdk-reference-patterns:staticVpnBeatsDirectConnect',
          'staticRoutes with directConnect on a Transit Gateway: static VPN routes take precedence over routes propagated from Direct Connect, so the VPN, not Direct Connect, carries the traffic; use BGP to keep Direct Connect primary');
      }
    }
    if (target.targetVpc !== undefined && gateway !== undefined) {
      const vpc = target.targetVpc;
      // A gateway the VPC gets after this construct (vpc.enableVpnGateway) would be a second one.
      this.node.addValidation({
        validate: () => {
          const problems: string[] = [];
          if (vpc.vpnGatewayId !== undefined && vpc.vpnGatewayId !== gateway.vpnGatewayId) {
            problems.push(`target ${vpc.node.path} got a virtual private gateway of its own after ${gateway.owner} created one for it; a VPC takes one virtual private gateway: enable the VPC's gateway (vpnGateway: true) before the HybridVpn, or leave it to the HybridVpn`);
          }
          return problems;
        },
      });
    }

    if (props.alarms ?? true) {
      this.alarms.push(new cloudwatch.Alarm(this, 'TunnelDownAlarm', {
        alarmDescription: `A tunnel of ${this.node.path} is down: the VPN runs without redundancy`,
        // The VPN-level TunnelState averages the tunnels: below 1 means at least one is down.
        metric: this.metricTunnelState({ statistic: cloudwatch.Stats.MINIMUM }),
        threshold: 1,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }));
      this.alarms.push(new cloudwatch.Alarm(this, 'AllTunnelsDownAlarm', {
        alarmDescription: `Both tunnels of ${this.node.path} are down: on-premises is unreachable through the VPN`,
        metric: this.metricTunnelState({ statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }));
    }
    this.addAlarmAction(...props.alarmActions ?? []);
  }

  /**
   * The VPN's TunnelState (AWS/VPN): 1 when both tunnels are up, 0 when both are down, in between when one is.
   */
  public metricTunnelState(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/VPN',
      metricName: 'TunnelState',
      dimensionsMap: { VpnId: this.vpnConnectionId },
      period: Duration.minutes(5),
      ...props,
    });
  }

  /**
   * Adds the given actions to every alarm of this construct, for the ALARM and OK states.
   */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    wireAlarmActions(this.alarms, actions);
  }

  private addDirectConnect(options: VpnDirectConnectOptions, vpcGateway?: VpcGateway): directconnect.CfnDirectConnectGateway | undefined {
    const target = this.target;
    let gateway: directconnect.CfnDirectConnectGateway | undefined;
    let gatewayId = options.directConnectGatewayId;
    if (gatewayId === undefined) {
      gateway = new directconnect.CfnDirectConnectGateway(this, 'DirectConnectGateway', {
        directConnectGatewayName: `${Stack.of(this).stackName}-${this.node.id}`.slice(0, 100),
        amazonSideAsn: String(options.amazonSideAsn ?? 64_513),
      });
      gatewayId = gateway.attrDirectConnectGatewayId;
    }
    const vpc = target.targetVpc;
    const allowed = options.allowedPrefixes
      ?? (vpc !== undefined ? [...new Set([literalVpcCidr(vpc) ?? vpc.vpcCidrBlock, ...secondaryCidrBlocks(vpc)])] : undefined);
    const association = new directconnect.CfnDirectConnectGatewayAssociation(this, 'DirectConnectAssociation', {
      directConnectGatewayId: gatewayId,
      associatedGatewayId: vpcGateway?.vpnGatewayId ?? target.targetHub!.transitGatewayId,
      allowedPrefixesToDirectConnectGateway: allowed,
    });
    if (vpcGateway !== undefined) {
      // "The virtual private gateway must be attached to a VPC and must not be associated with another
      // Direct Connect gateway" (https://docs.aws.amazon.com/directconnect/latest/APIReference/API_CreateDirectConnectGatewayAssociation.html).
      vpcGateway.directConnect = this.node.path;
      if (vpcGateway.attached !== undefined) {
        association.node.addDependency(vpcGateway.attached);
      }
    }
    let associated: FlowRef | HubResourceAttachment | undefined = vpcGateway === undefined ? undefined : this.flowVpnGateway(vpcGateway);
    if (target.targetHub !== undefined) {
      const attachment = target.targetHub.attachResource(this, 'DirectConnectHubAttachment', {
        resourceType: HubAttachmentResourceType.DIRECT_CONNECT_GATEWAY,
        resourceId: gatewayId,
        segment: target.targetSegment!,
      });
      attachment.node.addDependency(association);
      associated = attachment;
    }
    // Direct Connect, the primary path: a transit virtual interface to a gateway associated with a Transit
    // Gateway, a private one for a virtual private gateway
    // (https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-transit-gateways.html,
    // https://docs.aws.amazon.com/directconnect/latest/APIReference/API_CreatePrivateVirtualInterface.html).
    const flow = Flow.of(this);
    const dxGateway = flow.node(gateway ?? flowRef(this, 'DirectConnectGateway'), 'directConnectGateway', gateway ? 'Direct Connect gateway' : gatewayId,
      { detail: gateway ? `ASN ${options.amazonSideAsn ?? 64_513}` : 'existing' });
    const link = flow.node(flowRef(this, 'DirectConnect', true), 'directConnect', 'your connection');
    flow.edge(flowRef(this, 'OnPremises', true), link, { label: 'BGP', style: 'primary' });
    flow.edge(link, dxGateway, { label: target.targetHub !== undefined ? 'transit VIF' : 'private VIF', style: 'primary' });
    flow.edge(dxGateway, associated!, { label: allowed === undefined ? undefined : `allowed ${allowed.join(', ')}`, style: 'primary' });
    return gateway;
  }

  /**
   * The data flow of the README diagrams (src/core/private/flow.ts): on-premises with the customer gateway,
   * the VPN connection with its two tunnels, and the gateway they end on (the hub's VPN attachment, or the
   * virtual private gateway and its VPC); the backup path when Direct Connect is the primary.
   */
  private describeFlow(props: HybridVpnProps, tunnels: VpnTunnel[], asn: number, gateway?: VpcGateway): void {
    const flow = Flow.of(this);
    const bgp = props.staticRoutes === undefined;
    const remote = props.onPremisesCidrs ?? props.staticRoutes;
    const onPremises = flow.group(flowRef(this, 'OnPremises', true), 'onPremises', `on-premises (${this.node.id})`, { detail: remote?.join(', ') });
    flow.node(this.customerGateway, 'customerGateway', 'customer gateway', { detail: bgp ? `${props.customerGatewayIp}, ASN ${asn}` : props.customerGatewayIp, group: onPremises });
    const connection = flow.group(this.vpnConnection, 'vpnConnection', `Site-to-Site VPN ${this.node.id}`, { detail: bgp ? 'BGP' : 'static routes' });
    let end: FlowRef | HubResourceAttachment;
    if (gateway !== undefined) {
      end = this.flowVpnGateway(gateway);
      const vpc = this.target.targetVpc!;
      flow.node(vpc, 'vpc', flowName(vpc), { detail: literalVpcCidr(vpc) });
      flow.edge(end, vpc, { label: 'route propagation', style: 'both' });
    } else {
      end = this.hubAttachment!;
    }
    const backup = props.directConnect !== undefined;
    tunnels.forEach((tunnel, index) => {
      const node = flow.node(flowRef(this.vpnConnection, `Tunnel${index + 1}`), 'tunnel', `tunnel ${index + 1}`, { detail: tunnel.insideCidr, group: connection });
      flow.edge(this.customerGateway, node, { label: 'IPsec', style: backup ? 'backup' : 'both' });
      flow.edge(node, end, { label: `${bgp ? 'BGP' : `static ${props.staticRoutes!.join(', ')}`}${backup ? ' (backup)' : ''}`, style: backup ? 'backup' : 'both' });
    });
  }

  /** The diagram node of a VPC's virtual private gateway (one per VPC, whoever made it). */
  private flowVpnGateway(gateway: VpcGateway): FlowRef {
    return Flow.of(this).node({ id: `${gateway.owner}/VpnGateway`, stack: Stack.of(this).artifactId }, 'vpnGateway', 'virtual private gateway',
      { detail: gateway.asn === undefined ? undefined : `ASN ${gateway.asn}` });
  }

  /**
   * The VPC's virtual private gateway: the one a HybridVpn of this app made for it, the VPC's own (an
   * `ec2.Vpc` with `vpnGateway: true`, or an imported VPC with `vpnGatewayId`), or a new one made here.
   */
  private vpcGateway(vpc: ec2.IVpc, options: VpnGatewayOptions): VpcGateway {
    const root = this.node.root;
    const byId = gatewaysByVpcId.get(root) ?? new Map<string, VpcGateway>();
    gatewaysByVpcId.set(root, byId);
    // Every Vpc.fromLookup placeholder has the dummy ID vpc-12345: it identifies nothing.
    const vpcId = Token.isUnresolved(vpc.vpcId) || isPendingLookup(vpc) ? undefined : vpc.vpcId;
    let gateway = gatewaysByVpc.get(vpc) ?? (vpcId === undefined ? undefined : byId.get(vpcId));
    if (gateway === undefined && vpc.vpnGatewayId !== undefined) {
      // The L2 Vpc's own gateway (vpnGateway: true): its attachment and the route tables it propagates into.
      const attachment = vpc.node.tryFindChild('VPCVPNGW');
      const propagation = vpc.node.tryFindChild('RoutePropagation');
      const cfnGateway = vpc.node.tryFindChild('VpnGateway')?.node.defaultChild;
      // Unset, a gateway's ASN is 64512; an imported VPC's gateway is unknown here.
      const asn = cfnGateway instanceof ec2.CfnVPNGateway ? cfnGateway.amazonSideAsn ?? 64_512 : undefined;
      gateway = {
        vpnGatewayId: vpc.vpnGatewayId,
        asn: asn === undefined || Token.isUnresolved(asn) ? undefined : asn,
        owner: vpc.node.path,
        attached: attachment instanceof ec2.CfnVPCGatewayAttachment ? attachment : undefined,
        external: !(attachment instanceof ec2.CfnVPCGatewayAttachment),
        propagatedTo: new Set(propagation instanceof ec2.CfnVPNGatewayRoutePropagation ? propagation.routeTableIds : []),
      };
    }
    if (gateway === undefined) {
      const asn = options.amazonSideAsn ?? 64_512;
      const vpnGateway = new ec2.CfnVPNGateway(this, 'VpnGateway', {
        type: 'ipsec.1',
        amazonSideAsn: asn,
        tags: [nameTag(this, this.node.id)],
      });
      const attachment = new ec2.CfnVPCGatewayAttachment(this, 'VpnGatewayAttachment', {
        vpcId: vpc.vpcId,
        vpnGatewayId: vpnGateway.ref,
      });
      gateway = {
        vpnGatewayId: vpnGateway.ref,
        asn: Token.isUnresolved(asn) ? undefined : asn,
        owner: this.node.path,
        resource: vpnGateway,
        attached: attachment,
        external: false,
        propagatedTo: new Set(),
      };
    } else {
      const asn = options.amazonSideAsn;
      if (asn !== undefined && !Token.isUnresolved(asn) && gateway.asn !== undefined && asn !== gateway.asn) {
        fail(this, `target amazonSideAsn is ${asn}, but ${vpc.node.path} has a virtual private gateway already (from ${gateway.owner}) whose ASN is ${gateway.asn}; a VPC takes one virtual private gateway: leave amazonSideAsn unset or give the same ASN`);
      }
    }
    gatewaysByVpc.set(vpc, gateway);
    if (vpcId !== undefined) {
      byId.set(vpcId, gateway);
    }
    return gateway;
  }

  /**
   * Turns on route propagation from the gateway into the selected route tables that have none yet. A
   * gateway made outside this app keeps its propagation as it is unless `routePropagation` is given:
   * deleting a propagation this stack declared for a route table would turn off one it did not make.
   */
  private propagateRoutes(vpc: ec2.IVpc, selections: ec2.SubnetSelection[] | undefined, gateway: VpcGateway): void {
    if (gateway.external && selections === undefined) {
      Annotations.of(this).addWarningV2('cdk-reference-patterns:externalVpnGateway',
        `${vpc.node.path} has a virtual private gateway made outside this app (${gateway.vpnGatewayId}): its route propagation is left as it is; set routePropagation to turn it on for chosen subnets from this stack`);
      return;
    }
    const subnets = selections === undefined
      ? [...vpc.privateSubnets, ...vpc.isolatedSubnets]
      : selections.flatMap((selection) => selectSubnetsFor(this, 'target routePropagation', vpc, selection));
    // A subnet imported without its route table ID has none to propagate into.
    const routeTableIds = [...new Set(subnets.map((subnet) => subnet.routeTable?.routeTableId))]
      .filter((routeTableId): routeTableId is string => routeTableId !== undefined && !gateway.propagatedTo.has(routeTableId));
    if (routeTableIds.length === 0) {
      return;
    }
    routeTableIds.forEach((routeTableId) => gateway.propagatedTo.add(routeTableId));
    const propagation = new ec2.CfnVPNGatewayRoutePropagation(this, 'RoutePropagation', {
      routeTableIds,
      vpnGatewayId: gateway.vpnGatewayId,
    });
    if (gateway.attached !== undefined) {
      propagation.node.addDependency(gateway.attached);
    }
  }

  /**
   * The customer gateway for this device. EC2 answers a request identical to an existing customer gateway
   * (type, IP, ASN, no or the same device name) with that gateway instead of a new one
   * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateCustomerGateway.html): two resources
   * for one device would be one gateway that deleting either removes. So HybridVpns of this app for the same
   * device share one.
   */
  private sharedCustomerGateway(id: string, props: HybridVpnProps, asn: number): ec2.CfnCustomerGateway {
    const stack = Stack.of(this);
    const ip = props.customerGatewayIp;
    const literal = !Token.isUnresolved(ip) && !Token.isUnresolved(asn)
      && (props.customerGatewayDeviceName === undefined || !Token.isUnresolved(props.customerGatewayDeviceName));
    const key = [stack.account, stack.region, ip, asn, props.customerGatewayDeviceName ?? ''].join('|');
    const gateways = customerGateways.get(this.node.root) ?? new Map<string, ec2.CfnCustomerGateway>();
    customerGateways.set(this.node.root, gateways);
    const existing = literal ? gateways.get(key) : undefined;
    if (existing !== undefined) {
      return existing;
    }
    const gateway = new ec2.CfnCustomerGateway(this, 'CustomerGateway', {
      type: 'ipsec.1',
      ipAddress: ip,
      ...(asn > MAX_BGP_ASN ? { bgpAsnExtended: asn } : { bgpAsn: asn }),
      deviceName: props.customerGatewayDeviceName,
      tags: [nameTag(this, id)],
    });
    if (literal) {
      gateways.set(key, gateway);
    }
    return gateway;
  }

  /**
   * The fingerprint of every setting whose change replaces the VPN connection: the connection's properties
   * but its tags, the customer gateway's and the virtual private gateway's (CloudFormation: "Update requires:
   * Replacement", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpnconnection.html).
   * With `vpnConnectionFingerprint` set, a different fingerprint is an error.
   */
  private guardReplacement(props: HybridVpnProps, connectionProps: ec2.CfnVPNConnectionProps, gateway?: VpcGateway): string {
    const stack = Stack.of(this);
    const cgw = this.customerGateway;
    const replacing = stack.resolve({
      connection: connectionProps,
      customerGateway: {
        type: cgw.type, ipAddress: cgw.ipAddress, bgpAsn: cgw.bgpAsn, bgpAsnExtended: cgw.bgpAsnExtended, deviceName: cgw.deviceName,
      },
      vpnGateway: gateway === undefined ? undefined : { asn: gateway.asn },
    });
    const fingerprint = crypto.createHash('sha256').update(JSON.stringify(replacing)).digest('hex').slice(0, 16);
    const pinned = props.vpnConnectionFingerprint;
    if (pinned === undefined) {
      Annotations.of(this).addInfo(`vpnConnectionFingerprint: ${fingerprint}. A change to the VPN connection's settings (not its tags) or the customer gateway's replaces the connection: new tunnel IPs and keys, traffic stops until the device is reconfigured. Set vpnConnectionFingerprint to this value to have synth refuse such a change.`);
    } else if (!Token.isUnresolved(pinned) && pinned !== fingerprint) {
      fail(this, `vpnConnectionFingerprint is '${pinned}', but the settings now give '${fingerprint}': deploying replaces the VPN connection (new tunnel endpoint IPs and pre-shared keys; traffic stops until the customer gateway device is reconfigured); set vpnConnectionFingerprint to '${fingerprint}' to allow it`);
    }
    return fingerprint;
  }

  /** Checks that depend on the VPC's gateway (possibly another HybridVpn's). */
  private validateGatewayUse(props: HybridVpnProps, asn: number, gateway?: VpcGateway): void {
    if (gateway === undefined) {
      return;
    }
    if (props.staticRoutes === undefined && gateway.asn !== undefined && !Token.isUnresolved(asn) && asn === gateway.asn) {
      fail(this, `customerGatewayAsn must differ from the AWS side's ASN (${gateway.asn}) for BGP, but ${asn} was provided`);
    }
    if (props.directConnect !== undefined && gateway.directConnect !== undefined) {
      fail(this, `directConnect: the virtual private gateway of ${props.target.targetVpc!.node.path} is associated with a Direct Connect gateway by ${gateway.directConnect} already, and a virtual private gateway takes one Direct Connect gateway: give directConnect to one HybridVpn of the VPC only`);
    }
  }

  private validateProps(props: HybridVpnProps, asn: number): void {
    const target = props.target;
    const region = Stack.of(this).region;
    const ip = props.customerGatewayIp;
    if (!Token.isUnresolved(ip) && !isPublicIpv4(ip)) {
      fail(this, `customerGatewayIp must be a public IPv4 address such as 203.0.113.10, but '${ip}' was provided`);
    }
    if (!Token.isUnresolved(asn)) {
      if (!Number.isInteger(asn) || asn < 1 || asn > MAX_EXTENDED_ASN) {
        fail(this, `customerGatewayAsn must be a whole number from 1 to ${MAX_EXTENDED_ASN}, but ${asn} was provided`);
      }
      if (asn in RESERVED_ASNS && (RESERVED_ASNS[asn] === undefined || RESERVED_ASNS[asn] === region || Token.isUnresolved(region))) {
        fail(this, `customerGatewayAsn ${asn} is reserved by Site-to-Site VPN${RESERVED_ASNS[asn] ? ` in ${RESERVED_ASNS[asn]}` : ''}: choose another ASN`);
      }
    }
    if ((target.targetVpc === undefined) === (target.targetHub === undefined)) {
      fail(this, 'target must be VpnTarget.vpc(vpc) or VpnTarget.transitGateway(hub, segment)');
    }
    if (target.targetHub !== undefined) {
      target.targetHub.segment(target.targetSegment!);
    }
    this.validateTargetEnvironment(target);
    const vgwAsn = target.vpnGatewayOptions?.amazonSideAsn;
    if (vgwAsn !== undefined && !Token.isUnresolved(vgwAsn) && !inRanges(vgwAsn, AMAZON_ASN_RANGES)) {
      fail(this, `target amazonSideAsn must be a whole number in 64512-65534 or 4200000000-4294967294, but ${vgwAsn} was provided`);
    }
    // A VPC target's gateway ASN is checked once the gateway is known (it may be the VPC's own).
    const amazonAsn = target.targetVpc !== undefined ? vgwAsn ?? 64_512 : Number(target.targetHub!.transitGateway.amazonSideAsn ?? 64_512);
    if (target.targetHub !== undefined && props.staticRoutes === undefined
      && !Token.isUnresolved(asn) && !Token.isUnresolved(amazonAsn) && asn === amazonAsn) {
      fail(this, `customerGatewayAsn must differ from the AWS side's ASN (${amazonAsn}) for BGP, but ${asn} was provided`);
    }

    if (props.staticRoutes !== undefined) {
      if (props.staticRoutes.length === 0) {
        fail(this, 'staticRoutes must list at least one prefix when given (leave it unset for BGP), but an empty list was provided');
      }
      requireLiteralList(this, 'staticRoutes', props.staticRoutes, 'each prefix becomes a route of the VPN connection or of the Transit Gateway');
      for (const cidr of literalElements(props.staticRoutes)) {
        if (!isIpv4Cidr(cidr)) {
          fail(this, `staticRoutes must hold IPv4 CIDR blocks such as 192.168.0.0/16, but '${cidr}' was provided`);
        }
      }
      // One route per prefix (a Token counts by the value it stands for, e.g. Fn.select(0, list) made twice).
      const seen = new Set<string>();
      for (const cidr of props.staticRoutes) {
        const key = valueKey(this, cidr);
        if (seen.has(key)) {
          fail(this, `staticRoutes must list each prefix once (one route per prefix), but '${cidr}' was provided twice`);
        }
        seen.add(key);
      }
    }
    if (props.onPremisesCidrs !== undefined && target.targetHub === undefined) {
      fail(this, 'onPremisesCidrs applies only to a Transit Gateway target (a virtual private gateway propagates what it learns into the VPC\'s route tables), but the target is a VPC');
    }
    requireLiteralList(this, 'onPremisesCidrs', props.onPremisesCidrs, 'each prefix becomes a route in the spoke VPCs that reach the VPN');
    for (const cidr of literalElements(props.onPremisesCidrs)) {
      if (!isIpv4Cidr(cidr)) {
        fail(this, `onPremisesCidrs must hold IPv4 CIDR blocks such as 192.168.0.0/16, but '${cidr}' was provided`);
      }
    }

    const tunnels = props.tunnels;
    if (tunnels !== undefined) {
      if (tunnels.length !== 2) {
        fail(this, `tunnels must describe exactly the 2 tunnels of a VPN connection, but ${tunnels.length} were provided`);
      }
      const keyed = tunnels.filter((t) => t.preSharedKeySecret !== undefined).length;
      if (keyed === 1) {
        fail(this, 'tunnels must both take their preSharedKeySecret or both leave it to AWS, but only one was given');
      }
      tunnels.forEach((tunnel, index) => this.validatePreSharedKey(tunnel.preSharedKeySecret, index));
      const cidrs: string[] = [];
      tunnels.forEach((tunnel, index) => {
        const cidr = tunnel.insideCidr;
        if (cidr === undefined || Token.isUnresolved(cidr)) {
          return;
        }
        const prop = `tunnels[${index}].insideCidr`;
        if (!isIpv4Cidr(cidr) || !cidr.endsWith('/30') || !cidr.startsWith('169.254.')) {
          fail(this, `${prop} must be a /30 block in 169.254.0.0/16, but '${cidr}' was provided`);
        }
        if (parseCidr(cidr).start !== parseCidr(cidr.replace(/\/30$/, '/32')).start) {
          fail(this, `${prop} must start on a /30 boundary (the last octet a multiple of 4), but '${cidr}' was provided`);
        }
        if (RESERVED_INSIDE_CIDRS.includes(cidr)) {
          fail(this, `${prop} must not be one of the blocks AWS reserves (${RESERVED_INSIDE_CIDRS.join(', ')}), but '${cidr}' was provided`);
        }
        if (cidrs.includes(cidr)) {
          fail(this, `tunnels must have distinct inside CIDRs, but '${cidr}' was provided twice`);
        }
        cidrs.push(cidr);
      });
    }

    checkList(this, 'encryptionAlgorithms', props.encryptionAlgorithms, ENCRYPTION_ALGORITHMS);
    checkList(this, 'integrityAlgorithms', props.integrityAlgorithms, INTEGRITY_ALGORITHMS);
    checkList(this, 'dhGroups', props.dhGroups, DH_GROUPS);

    // NaN, Infinity, fractions and Tokens in another unit than seconds fail first, naming the prop; a Token
    // in seconds is not checked (nor compared: its value is known only at deploy time).
    const seconds = (prop: string, duration?: Duration) => {
      const value = wholeSeconds(this, prop, duration);
      return value === undefined || Token.isUnresolved(value) ? undefined : value;
    };
    const phase1 = seconds('phase1Lifetime', props.phase1Lifetime);
    const phase2 = seconds('phase2Lifetime', props.phase2Lifetime);
    rangeSeconds(this, 'phase1Lifetime', phase1, PHASE1_LIFETIME[0], PHASE1_LIFETIME[1]);
    rangeSeconds(this, 'phase2Lifetime', phase2, PHASE2_LIFETIME[0], PHASE2_LIFETIME[1]);
    const phase1Known = props.phase1Lifetime === undefined || phase1 !== undefined;
    const phase2Known = props.phase2Lifetime === undefined || phase2 !== undefined;
    const p1 = phase1 ?? 28_800;
    const p2 = phase2 ?? 3_600;
    if (phase1Known && phase2Known && p2 >= p1) {
      fail(this, `phase2Lifetime (${p2} seconds) must be less than phase1Lifetime (${p1} seconds)`);
    }
    // Half the phase 2 lifetime at most; with phase 2 a Token, half its largest value.
    rangeSeconds(this, 'rekeyMarginTime', seconds('rekeyMarginTime', props.rekeyMarginTime), MIN_REKEY_MARGIN,
      Math.floor((phase2Known ? p2 : PHASE2_LIFETIME[1]) / 2));
    validateInteger(this, 'rekeyFuzzPercentage', props.rekeyFuzzPercentage, 0, 100);
    validateInteger(this, 'replayWindowSize', props.replayWindowSize, REPLAY_WINDOW[0], REPLAY_WINDOW[1]);
    const dpd = seconds('dpdTimeout', props.dpdTimeout);
    if (dpd !== undefined && (dpd < MIN_DPD_TIMEOUT || !Number.isInteger(dpd))) {
      fail(this, `dpdTimeout must be a whole number of seconds, at least ${MIN_DPD_TIMEOUT}, but ${dpd} was provided`);
    }

    if (props.acceleration && target.targetHub === undefined) {
      fail(this, 'acceleration is available only with a Transit Gateway target (VpnTarget.transitGateway), but the target is a VPC');
    }
    if (props.tunnelBandwidth === VpnTunnelBandwidth.LARGE && target.targetHub === undefined) {
      fail(this, 'tunnelBandwidth LARGE is available only with a Transit Gateway target, but the target is a VPC');
    }

    const dx = props.directConnect;
    if (dx !== undefined) {
      if (dx.directConnectGatewayId !== undefined && dx.amazonSideAsn !== undefined) {
        fail(this, 'directConnect.amazonSideAsn applies only to a new Direct Connect gateway, but directConnectGatewayId was provided too');
      }
      if (dx.amazonSideAsn !== undefined && !Token.isUnresolved(dx.amazonSideAsn) && !inRanges(dx.amazonSideAsn, AMAZON_ASN_RANGES)) {
        fail(this, `directConnect.amazonSideAsn must be a whole number in 64512-65534 or 4200000000-4294967294, but ${dx.amazonSideAsn} was provided`);
      }
      const dxAsn = dx.directConnectGatewayId === undefined ? dx.amazonSideAsn ?? 64_513 : undefined;
      if (dxAsn !== undefined && target.targetHub !== undefined && !Token.isUnresolved(amazonAsn) && dxAsn === amazonAsn) {
        fail(this, `directConnect.amazonSideAsn must differ from the Transit Gateway's ASN (${amazonAsn}), but ${dxAsn} was provided`);
      }
      if (target.targetHub !== undefined && (dx.allowedPrefixes === undefined || dx.allowedPrefixes.length === 0)) {
        fail(this, 'directConnect.allowedPrefixes must list the prefixes to advertise over Direct Connect with a Transit Gateway target, but none were provided');
      }
      if (dx.allowedPrefixes !== undefined && dx.allowedPrefixes.length === 0) {
        // AllowedPrefixesToDirectConnectGateway takes at least one prefix; unset, the VPC's CIDR is advertised.
        fail(this, 'directConnect.allowedPrefixes must list at least one prefix when given (leave it unset to advertise the VPC\'s CIDR), but an empty list was provided');
      }
      // A list Token (a CommaDelimitedList parameter, Fn.split) goes to the association as it is.
      for (const cidr of literalElements(dx.allowedPrefixes)) {
        if (!isIpv4Cidr(cidr)) {
          fail(this, `directConnect.allowedPrefixes must hold IPv4 CIDR blocks, but '${cidr}' was provided`);
        }
      }
      if (target.targetVpc !== undefined && dx.allowedPrefixes === undefined && vpcCidrOf(target.targetVpc) === undefined) {
        fail(this, `directConnect.allowedPrefixes must be given for ${target.targetVpc.node.path}, which was imported without vpcCidrBlock (the default advertises the VPC's CIDR): list the prefixes, or give vpcCidrBlock to Vpc.fromVpcAttributes`);
      }
      if (target.targetVpc !== undefined) {
        this.validateVgwPrefixes(target.targetVpc, dx.allowedPrefixes ?? []);
      }
    }
  }

  /**
   * With a virtual private gateway, Direct Connect advertises whole VPC CIDRs only, through allowed
   * prefixes the same as or wider than them; a narrower prefix advertises nothing
   * (https://docs.aws.amazon.com/directconnect/latest/UserGuide/allowed-to-prefixes.html).
   */
  private validateVgwPrefixes(vpc: ec2.IVpc, prefixes: string[]): void {
    const primary = literalVpcCidr(vpc);
    if (primary === undefined) {
      return;
    }
    const vpcCidrs = [primary, ...secondaryCidrBlocks(vpc)];
    const literal = literalElements(prefixes);
    for (const prefix of literal) {
      if (!vpcCidrs.some((cidr) => cidrContains(prefix, cidr))) {
        fail(this, `directConnect.allowedPrefixes must each be the same as or wider than a CIDR of ${vpc.node.path} (${vpcCidrs.join(', ')}) with a virtual private gateway, which advertises whole VPC CIDRs only, but '${prefix}' covers none of them`);
      }
    }
    if (literal.length === prefixes.length && literal.length > 0 && !literal.some((prefix) => cidrContains(prefix, primary))) {
      fail(this, `directConnect.allowedPrefixes must cover the primary CIDR of ${vpc.node.path} (${primary}) with a virtual private gateway, but none of ${literal.join(', ')} does`);
    }
  }

  /**
   * A VPC target in another account or region than this stack cannot take a gateway from it, and a VPN on
   * a Transit Gateway is made in the Transit Gateway's account and region (accounts a hub is shared with
   * attach VPCs only: https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html).
   */
  private validateTargetEnvironment(target: VpnTarget): void {
    const stack = Stack.of(this);
    if (target.targetVpc !== undefined) {
      const vpc = target.targetVpc;
      const difference = envDifference(stack, vpc.env);
      if (difference !== undefined) {
        fail(this, `target ${vpc.node.path} is in ${difference} ${vpc.env[difference]}, but this HybridVpn is in ${stack[difference]}: a virtual private gateway attaches to a VPC of its own account and region, so define the HybridVpn in a stack of the VPC's account and region`);
      }
    } else if (target.targetHub !== undefined) {
      const hubStack = Stack.of(target.targetHub);
      const difference = envDifference(stack, hubStack);
      if (difference !== undefined) {
        fail(this, `target ${target.targetHub.node.path} is in ${difference} ${hubStack[difference]}, but this HybridVpn is in ${stack[difference]}: a VPN connection on a Transit Gateway is made in the Transit Gateway's account and region, so define the HybridVpn in a stack of the hub's account and region`);
      }
    }
  }

  /**
   * A pre-shared key secret defined in this app must hold a key AWS accepts: 8-64 letters, digits,
   * periods and underscores, not starting with 0. A literal value is checked as is; a generated one must
   * draw only allowed characters, never a 0 (it could come first), and no JSON template. An imported
   * secret cannot be checked at synth.
   */
  private validatePreSharedKey(secret: secretsmanager.ISecret | undefined, index: number): void {
    const cfn = secret?.node.defaultChild;
    if (!(cfn instanceof secretsmanager.CfnSecret)) {
      return;
    }
    const prop = `tunnels[${index}].preSharedKeySecret`;
    const stack = Stack.of(cfn);
    const value = stack.resolve(cfn.secretString);
    if (typeof value === 'string') {
      if (!PRE_SHARED_KEY.test(value)) {
        fail(this, `${prop} must hold 8-64 letters, digits, periods or underscores, not starting with 0, as its plain SecretString, but ${secret!.node.path} holds ${value.length} characters that do not`);
      }
      return;
    }
    const generate = stack.resolve(cfn.generateSecretString) as Record<string, unknown> | undefined;
    if (generate === undefined || typeof generate !== 'object') {
      return;
    }
    if (generate.secretStringTemplate !== undefined || generate.generateStringKey !== undefined) {
      fail(this, `${prop} must hold the key itself as its SecretString, but ${secret!.node.path} generates a JSON document (secretStringTemplate)`);
    }
    const length = generate.passwordLength ?? 32;
    if (typeof length === 'number' && (length < 8 || length > 64)) {
      fail(this, `${prop} must generate 8-64 characters, but ${secret!.node.path} generates ${length}`);
    }
    const excluded = String(generate.excludeCharacters ?? '');
    const pools = [
      generate.excludeLowercase === true ? '' : 'abcdefghijklmnopqrstuvwxyz',
      generate.excludeUppercase === true ? '' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      generate.excludeNumbers === true ? '' : '0123456789',
      generate.excludePunctuation === true ? '' : PUNCTUATION,
      generate.includeSpace === true ? ' ' : '',
    ].join('');
    const drawn = [...pools].filter((c) => !excluded.includes(c));
    const refused = drawn.filter((c) => !/[A-Za-z1-9._]/.test(c));
    if (refused.length > 0) {
      fail(this, `${prop} must generate only letters, digits other than 0 (a key must not start with 0), periods and underscores, but ${secret!.node.path} may generate ${JSON.stringify(refused.join(''))}: set excludePunctuation to true and excludeCharacters to '0'`);
    }
  }
}

function inRanges(value: number, ranges: Array<[number, number]>): boolean {
  return Number.isInteger(value) && ranges.some(([min, max]) => value >= min && value <= max);
}

function rangeSeconds(scope: Construct, prop: string, seconds: number | undefined, min: number, max: number): void {
  if (seconds !== undefined && (seconds < min || seconds > max || !Number.isInteger(seconds))) {
    fail(scope, `${prop} must be a whole number of seconds from ${min} to ${max}, but ${seconds} was provided`);
  }
}

function checkList<T extends string | number>(scope: Construct, prop: string, values: T[] | undefined, allowed: T[]): void {
  if (values === undefined) {
    return;
  }
  if (values.length === 0) {
    fail(scope, `${prop} must list at least one of ${allowed.join(', ')}, but an empty list was provided`);
  }
  // Each value becomes one { Value } entry of the tunnel options: the list itself must be known at synth.
  requireLiteralList(scope, prop, values as unknown as string[], 'each value becomes an entry of the tunnel options');
  for (const value of values) {
    if (Token.isUnresolved(value) || (typeof value === 'string' && isTokenElement(value))) {
      continue;
    }
    if (!allowed.includes(value)) {
      fail(scope, `${prop} may hold only ${allowed.join(', ')} (strong algorithms), but ${JSON.stringify(value)} was provided`);
    }
  }
}

/** A dotted-quad IPv4 address outside private, shared, loopback, link-local, multicast and reserved ranges. */
function isPublicIpv4(ip: string): boolean {
  if (!isIpv4Cidr(`${ip}/32`)) {
    return false;
  }
  const address = parseCidr(`${ip}/32`).start;
  const blocked = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
    '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/3'];
  return !blocked.some((cidr) => {
    const range = parseCidr(cidr);
    return address >= range.start && address <= range.end;
  });
}
