// Generator definitions read best on one line each.
/* eslint-disable @stylistic/max-len */
import * as kms from 'aws-cdk-lib/aws-kms';
import * as fc from 'fast-check';
import { checkCase, durationSeconds, listElementToken, listToken, mostly, numberToken, OPS_ALARM_ACTION, optional, placeholderVpc, PROPERTY_RUNS, runProperty } from './property';
import { DpdTimeoutAction, HubTransitGateway, HybridVpn, VpnTarget, VpnTunnelBandwidth } from '../../src';
import { createTestStack, createTestVpc } from '../util';

const HUB_PROPS = ['alarmActions', 'logEncryptionKey', 'amazonSideAsn', 'segments', 'segment', 'shareWith', 'flowLogsRetention', 'vpcRoutes', 'connectSegments', 'overlap',
  'destinationCidrBlock', 'peerRegion', 'peerTransitGatewayId', 'peerAccountId', 'peerCidrs', 'attached already', 'attachVpc', 'addPeering'];
const VPN_PROPS = ['alarmActions', 'logEncryptionKey', 'customerGatewayIp', 'customerGatewayAsn', 'target', 'staticRoutes', 'tunnels', 'encryptionAlgorithms', 'integrityAlgorithms',
  'dhGroups', 'phase1Lifetime', 'phase2Lifetime', 'rekeyMarginTime', 'rekeyFuzzPercentage', 'replayWindowSize', 'dpdTimeout', 'acceleration',
  'tunnelBandwidth', 'directConnect', 'segment', 'onPremisesCidrs'];

// Edge values of every range, then mostly valid values so that whole valid sets come up often too.
const asnEdges = fc.constantFrom(0, 1, 7224, 64511, 64512, 65000, 65534, 65535, 2_147_483_647, 2_147_483_648, 4_200_000_000, 4_294_967_294, 4_294_967_295);
const privateAsn = fc.oneof(fc.integer({ min: 64_512, max: 65_534 }), fc.integer({ min: 4_200_000_000, max: 4_294_967_294 }));
const asn = mostly(fc.oneof(privateAsn, numberToken), fc.oneof(asnEdges, fc.integer({ min: 0, max: 4_294_967_295 })));
const cidr = mostly(fc.tuple(fc.integer({ min: 100, max: 250 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 24 })).map(([a, b, p]) => `10.${a}.${p === 16 ? 0 : b}.0/${p}`),
  fc.oneof(fc.tuple(fc.integer({ min: 0, max: 260 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 33 })).map(([a, b, p]) => `10.${a}.${b}.0/${p}`), fc.constantFrom('10.0.0.0', 'garbage')));
const segmentName = fc.constantFrom('shared', 'prod', 'dev', 'qa');
const segmentIndex = mostly(fc.nat(3), fc.constant(-1));
const seconds = (min: number, max: number, invalid: number[]) => optional(mostly(fc.integer({ min, max }), fc.constantFrom(...invalid)));
/** A list of CIDRs: literal, a list Token (refused where each element becomes a route), or Token elements beside literal ones. */
const cidrList = (minLength: number) => fc.oneof(
  { weight: 8, arbitrary: fc.array(cidr, { minLength, maxLength: 2 }) },
  { weight: 1, arbitrary: listToken },
  { weight: 1, arbitrary: fc.array(fc.oneof(listElementToken, cidr), { minLength: Math.max(1, minLength), maxLength: 2 }) },
);

const hubArb = fc.record({
  amazonSideAsn: optional(asn),
  segments: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: mostly(fc.uniqueArray(segmentName, { minLength: 2, maxLength: 4 }), fc.array(fc.oneof(segmentName, fc.constantFrom('bad name', '')), { maxLength: 4 })) }),
  shareWith: optional(fc.oneof(
    {
      weight: 8,
      arbitrary: mostly(fc.array(fc.oneof(fc.stringMatching(/^\d{12}$/), fc.constant('arn:aws:organizations::123456789012:organization/o-abcdefghij')), { minLength: 1, maxLength: 2 }),
        fc.array(fc.oneof(fc.stringMatching(/^\d{12}$/), fc.constantFrom('12345', 'o-abcdefghij')), { maxLength: 2 })),
    },
    // A CommaDelimitedList parameter or Fn.split: passed to the share as it is.
    { weight: 1, arbitrary: listToken },
    { weight: 1, arbitrary: fc.array(fc.oneof(listElementToken, fc.constantFrom('123456789012', '12345')), { minLength: 1, maxLength: 2 }) },
  )),
  flowLogs: optional(fc.boolean()),
  // Segments by index into the hub's list (modulo its length); -1 names a segment that does not exist.
  // A connection: a segment and an offset to the other one (0: itself, refused).
  connect: fc.array(fc.tuple(segmentIndex, mostly(fc.integer({ min: 1, max: 3 }), fc.constant(0))), { maxLength: 2 }),
  // Spokes: literal VPCs, sometimes Vpc.fromLookup placeholders (all vpc-12345, 1.2.3.4/5), sometimes reusing an id.
  spokes: fc.array(fc.record({ octet: fc.integer({ min: 0, max: 3 }), segment: segmentIndex, routes: optional(cidrList(0)), lookup: mostly(fc.constant(false), fc.constant(true)), sameId: mostly(fc.constant(false), fc.constant(true)) }), { maxLength: 3 }),
  alarmActions: optional(fc.boolean()),
  logEncryptionKey: optional(fc.boolean()),
  blackhole: optional(cidr),
  peer: optional(fc.record({ region: fc.constantFrom('eu-west-1', 'us-east-1', 'europe'), tgw: fc.constantFrom('tgw-0123456789abcdef0', 'tgw-x'), account: optional(fc.constantFrom('123456789012', '210987654321', '12')), cidrs: optional(cidrList(0)), twice: mostly(fc.constant(false), fc.constant(true)) })),
}, { requiredKeys: ['connect', 'spokes'] });

const vpnArb = fc.record({
  ip: mostly(fc.constantFrom('203.0.113.10', '198.51.100.7', '52.1.2.3'), fc.oneof(fc.ipV4(), fc.constantFrom('10.1.1.1', '300.1.1.1', '169.254.1.1'))),
  asn: optional(asn),
  toHub: fc.boolean(),
  // A VPC target that is Vpc.fromLookup's placeholder (its dummy CIDR is not checked against allowed prefixes).
  lookup: mostly(fc.constant(false), fc.constant(true)),
  staticRoutes: optional(mostly(cidrList(1), fc.constant<string[]>([]))),
  onPremisesCidrs: optional(cidrList(0)),
  insideCidrs: optional(mostly(fc.uniqueArray(fc.integer({ min: 10, max: 250 }), { minLength: 2, maxLength: 2 }).map((ns) => ns.map((n) => `169.254.${n}.${4 * (n % 60)}/30`)),
    fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }).map((n) => `169.254.${n}.${[0, 4, 2][n % 3]}/30`), fc.constantFrom('169.254.169.252/30', '10.0.0.0/30', '169.254.10.0/29')), { minLength: 1, maxLength: 3 }))),
  dhGroups: optional(mostly(fc.uniqueArray(fc.constantFrom(14, 15, 16, 17, 18, 19, 20, 21), { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 1, max: 25 }), { maxLength: 3 }))),
  // Timers: whole seconds (some out of range), Tokens in seconds (passed through), Tokens in minutes, NaN,
  // Infinity and fractions (refused, naming the prop).
  phase1: optional(durationSeconds(900, 28_800)),
  phase2: optional(durationSeconds(900, 3_600)),
  rekey: optional(durationSeconds(60, 450)),
  fuzz: seconds(0, 100, [-1, 101]),
  replay: seconds(64, 2_048, [63, 2_049]),
  dpd: optional(durationSeconds(30, 100)),
  alarmActions: optional(fc.boolean()),
  logEncryptionKey: optional(fc.boolean()),
  acceleration: optional(fc.boolean()),
  large: optional(fc.boolean()),
  dx: optional(fc.record({ asn: optional(asn), prefixes: mostly(fc.oneof({ weight: 6, arbitrary: fc.array(cidr, { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: listToken }), fc.constantFrom<string[] | undefined>(undefined, [])) }, { requiredKeys: [] })),
});

describe('HubTransitGateway properties', () => {
  test(`${PROPERTY_RUNS} generated hubs synthesize cleanly or fail with an error naming a prop`, () => {
    const tally = runProperty(hubArb, (c) => checkCase((stack) => {
      const hub = new HubTransitGateway(stack, 'Hub', {
        amazonSideAsn: c.amazonSideAsn,
        segments: c.segments,
        shareWith: c.shareWith,
        flowLogs: c.flowLogs,
        alarmActions: c.alarmActions ? [OPS_ALARM_ACTION] : undefined,
        logEncryptionKey: c.logEncryptionKey ? new kms.Key(stack, 'LogKey', { enableKeyRotation: true }) : undefined,
      });
      const names = c.segments ?? ['default'];
      const segment = (i: number) => (i < 0 ? 'missing' : names[i % names.length]);
      // The other segment: `offset` steps further, never back onto the first one unless offset is 0.
      const other = (a: number, offset: number) => (a < 0 || offset === 0 || names.length === 1 ? a : (a % names.length) + 1 + ((offset - 1) % (names.length - 1)));
      for (const [a, offset] of c.connect) {
        hub.connectSegments(segment(a), segment(other(a, offset)));
      }
      c.spokes.forEach((spoke, i) => hub.attachVpc(spoke.sameId && i > 0 ? 'Spoke0' : `Spoke${i}`, {
        vpc: spoke.lookup ? placeholderVpc(stack, `Vpc${i}`, `vpc-0${i}23456789abcdef`) : createTestVpc(stack, `Vpc${i}`, `10.${spoke.octet}.0.0/16`),
        segment: segment(spoke.segment),
        vpcRoutes: spoke.routes,
      }));
      if (c.blackhole !== undefined) {
        hub.addBlackholeRoute(hub.segmentNames[0], c.blackhole);
      }
      if (c.peer !== undefined) {
        hub.addPeering('Peer', { peerTransitGatewayId: c.peer.tgw, peerRegion: c.peer.region, peerAccountId: c.peer.account, segment: hub.segmentNames[0], peerCidrs: c.peer.cidrs });
        if (c.peer.twice) {
          hub.addPeering('Peer', { peerTransitGatewayId: 'tgw-0123456789abcdef1', peerRegion: 'eu-west-2', segment: hub.segmentNames[0] });
        }
      }
    }, () => createTestStack(), HUB_PROPS));
    expect(tally.synthesized).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});

describe('HybridVpn properties', () => {
  test(`${PROPERTY_RUNS} generated VPNs synthesize cleanly or fail with an error naming a prop`, () => {
    const tally = runProperty(vpnArb, (c) => checkCase((stack) => {
      const target = c.toHub
        ? VpnTarget.transitGateway(new HubTransitGateway(stack, 'Hub'), 'default')
        : VpnTarget.vpc(c.lookup ? placeholderVpc(stack, 'Vpc', 'vpc-0123456789abcdef0') : createTestVpc(stack, 'Vpc', '10.0.0.0/16'));
      new HybridVpn(stack, 'Office', {
        customerGatewayIp: c.ip,
        customerGatewayAsn: c.asn,
        target,
        staticRoutes: c.staticRoutes,
        // On a VPC target onPremisesCidrs is refused (covered by the unit tests): generated for hubs only.
        onPremisesCidrs: c.toHub ? c.onPremisesCidrs : undefined,
        tunnels: c.insideCidrs?.map((insideCidr) => ({ insideCidr })),
        dhGroups: c.dhGroups,
        phase1Lifetime: c.phase1,
        phase2Lifetime: c.phase2,
        rekeyMarginTime: c.rekey,
        rekeyFuzzPercentage: c.fuzz,
        replayWindowSize: c.replay,
        dpdTimeout: c.dpd,
        dpdTimeoutAction: DpdTimeoutAction.RESTART,
        acceleration: c.acceleration,
        tunnelBandwidth: c.large ? VpnTunnelBandwidth.LARGE : undefined,
        directConnect: c.dx === undefined ? undefined : { amazonSideAsn: c.dx.asn, allowedPrefixes: c.dx.prefixes },
        alarmActions: c.alarmActions ? [OPS_ALARM_ACTION] : undefined,
        logEncryptionKey: c.logEncryptionKey ? new kms.Key(stack, 'LogKey', { enableKeyRotation: true }) : undefined,
      });
    }, () => createTestStack(), VPN_PROPS));
    expect(tally.synthesized).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});
