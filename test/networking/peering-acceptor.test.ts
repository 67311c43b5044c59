import { CustomResourceEvent, Dependencies, Ec2Api, handle, Response } from '../../src/networking/peering-acceptor';

const EVENT: CustomResourceEvent = {
  RequestType: 'Create',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Hub/1',
  RequestId: 'request-1',
  LogicalResourceId: 'HubEuropeAcceptance',
  ResourceProperties: { AttachmentId: 'tgw-attach-0123456789abcdef0', PeerRegion: 'eu-west-1' },
};

/** An EC2 API whose attachment walks through `states`, one per describe call (the last one repeats). */
function fakeEc2(states: Array<string | undefined>, acceptError?: Error) {
  const calls: string[] = [];
  let i = 0;
  const api: Ec2Api = {
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

function run(event: CustomResourceEvent, ec2: Ec2Api, remainingMs = 600_000) {
  const responses: Array<{ url: string; response: Response }> = [];
  const deps: Dependencies = {
    ec2,
    respond: async (url, response) => { responses.push({ url, response }); },
    sleep: async () => undefined,
    pollIntervalMs: 15_000,
  };
  return { responses, done: handle(event, { getRemainingTimeInMillis: () => remainingMs }, deps) };
}

describe('peering acceptor handler', () => {
  test('accepts a pending attachment in the peer region and succeeds once it is available', async () => {
    const { api, calls } = fakeEc2(['pendingAcceptance', 'pending', 'available']);
    const { responses, done } = run(EVENT, api);
    const response = await done;
    expect(calls).toEqual([
      'describe eu-west-1 tgw-attach-0123456789abcdef0',
      'accept eu-west-1 tgw-attach-0123456789abcdef0',
      'describe eu-west-1 tgw-attach-0123456789abcdef0',
      'describe eu-west-1 tgw-attach-0123456789abcdef0',
    ]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-0123456789abcdef0', Data: { AttachmentId: 'tgw-attach-0123456789abcdef0' } });
    expect(responses).toEqual([{ url: EVENT.ResponseURL, response }]);
  });

  test('an attachment that is already available is not accepted again', async () => {
    const { api, calls } = fakeEc2(['available']);
    const response = await run({ ...EVENT, RequestType: 'Update', PhysicalResourceId: 'tgw-attach-0123456789abcdef0' }, api).done;
    expect(calls).toEqual(['describe eu-west-1 tgw-attach-0123456789abcdef0']);
    expect(response.Status).toBe('SUCCESS');
  });

  test('a rejected attachment fails the deployment with its state', async () => {
    const { api } = fakeEc2(['pendingAcceptance', 'rejected']);
    const response = await run(EVENT, api).done;
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'peering attachment tgw-attach-0123456789abcdef0 is rejected in eu-west-1' });
  });

  test('an EC2 error fails the deployment with its message', async () => {
    const { api } = fakeEc2(['pendingAcceptance'], new Error('UnauthorizedOperation: not allowed'));
    const response = await run(EVENT, api).done;
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('UnauthorizedOperation: not allowed') });
  });

  test('times out before Lambda does, answering CloudFormation', async () => {
    const { api } = fakeEc2(['pending']);
    const response = await run(EVENT, api, 30_000).done;
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('timed out waiting for peering attachment tgw-attach-0123456789abcdef0') });
  });

  test('delete succeeds without touching the attachment (CloudFormation deletes it)', async () => {
    const { api, calls } = fakeEc2(['available']);
    const response = await run({ ...EVENT, RequestType: 'Delete', PhysicalResourceId: 'tgw-attach-0123456789abcdef0' }, api).done;
    expect(calls).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-0123456789abcdef0' });
  });
});
