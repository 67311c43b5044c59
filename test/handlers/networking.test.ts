import { AttachmentApi, AttachmentProperties, handle as lookupAttachment } from '../../src/handlers/attachment-lookup';
import { CustomResourceEvent, Response, Runtime } from '../../src/handlers/custom-resource';
import { handle as acceptPeering, PeeringApi, PeeringProperties } from '../../src/handlers/peering-acceptor';

function event<P>(properties: P, requestType: 'Create' | 'Update' | 'Delete' = 'Create', physicalResourceId?: string): CustomResourceEvent<P> {
  return {
    RequestType: requestType,
    ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Hub/1',
    RequestId: 'request-1',
    LogicalResourceId: 'Resource',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: properties,
  };
}

/** A runtime whose responses are recorded and whose sleeps return at once. */
function runtime<Api>(api: Api): { rt: Runtime<Api>; responses: Response[] } {
  const responses: Response[] = [];
  return {
    responses,
    rt: { api, respond: async (_url, response) => { responses.push(response); }, sleep: async () => undefined, pollIntervalMs: 15_000 },
  };
}

const context = (remainingMs = 600_000) => ({ getRemainingTimeInMillis: () => remainingMs });

describe('peering acceptor handler', () => {
  const PROPS: PeeringProperties = { AttachmentId: 'tgw-attach-0123456789abcdef0', PeerRegion: 'eu-west-1' };

  /** An EC2 API whose attachment walks through `states`, one per describe call (the last one repeats). */
  function fakeEc2(states: Array<string | undefined>, acceptError?: Error) {
    const calls: string[] = [];
    let i = 0;
    const api: PeeringApi = {
      async state(region, id) {
        calls.push(`describe ${region} ${id}`);
        return states[Math.min(i++, states.length - 1)];
      },
      async accept(region, id) {
        calls.push(`accept ${region} ${id}`);
        if (acceptError) {
          throw acceptError;
        }
      },
    };
    return { api, calls };
  }

  test('accepts a pending attachment in the peer region and succeeds once it is available', async () => {
    const { api, calls } = fakeEc2(['pendingAcceptance', 'pending', 'available']);
    const { rt, responses } = runtime(api);
    const response = await acceptPeering(event(PROPS), context(), rt);
    expect(calls).toEqual([
      'describe eu-west-1 tgw-attach-0123456789abcdef0',
      'accept eu-west-1 tgw-attach-0123456789abcdef0',
      'describe eu-west-1 tgw-attach-0123456789abcdef0',
      'describe eu-west-1 tgw-attach-0123456789abcdef0',
    ]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-0123456789abcdef0', Data: { AttachmentId: 'tgw-attach-0123456789abcdef0' } });
    expect(responses).toEqual([response]);
  });

  test('an attachment that is already available is not accepted again', async () => {
    const { api, calls } = fakeEc2(['available']);
    const response = await acceptPeering(event(PROPS, 'Update', 'tgw-attach-0123456789abcdef0'), context(), runtime(api).rt);
    expect(calls).toEqual(['describe eu-west-1 tgw-attach-0123456789abcdef0']);
    expect(response.Status).toBe('SUCCESS');
  });

  test('a rejected attachment fails the deployment with its state', async () => {
    const { api } = fakeEc2(['pendingAcceptance', 'rejected']);
    const response = await acceptPeering(event(PROPS), context(), runtime(api).rt);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'peering attachment tgw-attach-0123456789abcdef0 is rejected in eu-west-1' });
  });

  test('an EC2 error fails the deployment with its message', async () => {
    const { api } = fakeEc2(['pendingAcceptance'], new Error('UnauthorizedOperation: not allowed'));
    const response = await acceptPeering(event(PROPS), context(), runtime(api).rt);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('UnauthorizedOperation: not allowed') });
  });

  test('times out before Lambda does, answering CloudFormation', async () => {
    const { api } = fakeEc2(['pending']);
    const { rt, responses } = runtime(api);
    const response = await acceptPeering(event(PROPS), context(30_000), rt);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('timed out waiting for peering attachment tgw-attach-0123456789abcdef0') });
    expect(responses).toHaveLength(1);
  });

  test('delete succeeds without touching the attachment (CloudFormation deletes it)', async () => {
    const { api, calls } = fakeEc2(['available']);
    const response = await acceptPeering(event(PROPS, 'Delete', 'tgw-attach-0123456789abcdef0'), context(), runtime(api).rt);
    expect(calls).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-0123456789abcdef0' });
  });
});

describe('attachment lookup handler', () => {
  const PROPS: AttachmentProperties = { TransitGatewayId: 'tgw-0123456789abcdef0', ResourceType: 'vpn', ResourceId: 'vpn-0123456789abcdef0' };

  function fakeEc2(results: Array<{ id: string; state: string } | undefined>, error?: Error) {
    const calls: string[] = [];
    let i = 0;
    const api: AttachmentApi = {
      async find(tgw, type, resource) {
        calls.push(`find ${tgw} ${type} ${resource}`);
        if (error) {
          throw error;
        }
        return results[Math.min(i++, results.length - 1)];
      },
    };
    return { api, calls };
  }

  test('waits for the attachment to appear and become available, and returns its ID', async () => {
    const { api, calls } = fakeEc2([undefined, { id: 'tgw-attach-1', state: 'pending' }, { id: 'tgw-attach-1', state: 'available' }]);
    const response = await lookupAttachment(event(PROPS), context(), runtime(api).rt);
    expect(calls).toEqual(Array(3).fill('find tgw-0123456789abcdef0 vpn vpn-0123456789abcdef0'));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-1', Data: { TransitGatewayAttachmentId: 'tgw-attach-1' } });
  });

  test('a failed attachment fails the deployment', async () => {
    const { api } = fakeEc2([{ id: 'tgw-attach-1', state: 'failed' }]);
    const response = await lookupAttachment(event(PROPS), context(), runtime(api).rt);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'the attachment tgw-attach-1 of vpn vpn-0123456789abcdef0 on tgw-0123456789abcdef0 is failed' });
  });

  test('times out when the attachment never appears', async () => {
    const { api } = fakeEc2([undefined]);
    const response = await lookupAttachment(event(PROPS), context(10_000), runtime(api).rt);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('(last state: not found)') });
  });

  test('an EC2 error fails the deployment with its message', async () => {
    const { api } = fakeEc2([], new Error('Throttling: rate exceeded'));
    const response = await lookupAttachment(event(PROPS), context(), runtime(api).rt);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Throttling: rate exceeded' });
  });

  test('delete makes no call', async () => {
    const { api, calls } = fakeEc2([]);
    const response = await lookupAttachment(event(PROPS, 'Delete', 'tgw-attach-1'), context(), runtime(api).rt);
    expect(calls).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-1' });
  });
});
