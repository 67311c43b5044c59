/**
 * The EC2 custom resource handlers, whole (SDK loading, client configuration, the calls, the response PUT),
 * against the moto emulator on loopback: the Transit Gateway, VPN connection and peering are created there
 * first, as CloudFormation would have before invoking the handler. The suite fails when moto is missing.
 */
import {
  CreateCustomerGatewayCommand, CreateTransitGatewayCommand, CreateTransitGatewayPeeringAttachmentCommand, CreateVpnConnectionCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand, EC2Client,
} from '@aws-sdk/client-ec2';
import { handler as lookupHandler } from '../../src/handlers/attachment-lookup';
import { CustomResourceEvent } from '../../src/handlers/custom-resource';
import { handler as acceptorHandler } from '../../src/handlers/peering-acceptor';
import { Emulator, ResponseServer, startEmulator, startResponseServer, useEmulatorEnvironment } from '../util/emulator';

jest.setTimeout(90_000);

let emulator: Emulator;
let server: ResponseServer;
let restoreEnvironment: () => void;

beforeAll(async () => {
  // The handlers log each request and answer for CloudWatch Logs; the tests read the answers instead.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  emulator = await startEmulator();
  server = await startResponseServer();
  restoreEnvironment = useEmulatorEnvironment(emulator.endpoint);
});

afterAll(async () => {
  restoreEnvironment?.();
  await server?.close();
  await emulator?.stop();
});

function ec2(region: string): EC2Client {
  return new EC2Client({ region, endpoint: emulator.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

function event<P>(properties: P, requestType: 'Create' | 'Update' | 'Delete' = 'Create', physicalResourceId?: string): CustomResourceEvent<P> {
  return {
    RequestType: requestType,
    ResponseURL: server.url,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Hub/1',
    RequestId: `request-${Math.random()}`,
    LogicalResourceId: 'Resource',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: properties,
  };
}

const context = { getRemainingTimeInMillis: () => 600_000 };

describe('attachment lookup handler against the emulator', () => {
  test('finds the VPN connection\'s attachment and answers CloudFormation with its ID', async () => {
    const client = ec2('us-east-1');
    const tgw = (await client.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    const cgw = (await client.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', PublicIp: '203.0.113.10', BgpAsn: 65000 }))).CustomerGateway!;
    const vpn = (await client.send(new CreateVpnConnectionCommand({
      Type: 'ipsec.1', CustomerGatewayId: cgw.CustomerGatewayId, TransitGatewayId: tgw.TransitGatewayId,
    }))).VpnConnection!;

    const request = event({ TransitGatewayId: tgw.TransitGatewayId!, ResourceType: 'vpn', ResourceId: vpn.VpnConnectionId! });
    const response = await lookupHandler(request, context);

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: expect.stringMatching(/^tgw-attach-/) });
    expect(response!.Data!.TransitGatewayAttachmentId).toBe(response!.PhysicalResourceId);
    // What CloudFormation received through the response URL.
    expect(server.responses.find((r) => r.RequestId === request.RequestId)).toMatchObject({ method: 'PUT', Status: 'SUCCESS', PhysicalResourceId: response!.PhysicalResourceId });
  });

  test('an attachment that never appears is answered FAILED before the function\'s time runs out', async () => {
    const request = event({ TransitGatewayId: 'tgw-00000000000000000', ResourceType: 'vpn', ResourceId: 'vpn-00000000000000000' });
    const response = await lookupHandler(request, { getRemainingTimeInMillis: () => 15_000 });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('timed out waiting for the attachment of vpn vpn-00000000000000000') });
    expect(server.responses.find((r) => r.RequestId === request.RequestId)).toMatchObject({ Status: 'FAILED' });
  });
});

describe('peering acceptor handler against the emulator', () => {
  test('accepts the attachment in the peer region and answers once it is available', async () => {
    const requester = ec2('us-east-1');
    const accepter = ec2('eu-west-1');
    const tgw = (await requester.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    const peer = (await accepter.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    const peering = (await requester.send(new CreateTransitGatewayPeeringAttachmentCommand({
      TransitGatewayId: tgw.TransitGatewayId, PeerTransitGatewayId: peer.TransitGatewayId, PeerRegion: 'eu-west-1', PeerAccountId: '123456789012',
    }))).TransitGatewayPeeringAttachment!;
    expect(peering.State).toBe('pendingAcceptance');

    const request = event({ AttachmentId: peering.TransitGatewayAttachmentId!, PeerRegion: 'eu-west-1' });
    const response = await acceptorHandler(request, context);

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: peering.TransitGatewayAttachmentId });
    const ids = [peering.TransitGatewayAttachmentId!];
    const after = await requester.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: ids }));
    expect(after.TransitGatewayPeeringAttachments![0].State).toBe('available');
    expect(server.responses.find((r) => r.RequestId === request.RequestId)).toMatchObject({ Status: 'SUCCESS' });
  });

  test('delete answers SUCCESS without calling EC2 (CloudFormation deletes the attachment)', async () => {
    const request = event({ AttachmentId: 'tgw-attach-00000000000000000', PeerRegion: 'eu-west-1' }, 'Delete', 'tgw-attach-00000000000000000');
    const response = await acceptorHandler(request, context);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-00000000000000000' });
  });
});
