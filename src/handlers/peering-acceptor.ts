/**
 * Custom resource handler: accepts a Transit Gateway peering attachment in the peer region and waits until
 * it is available, so that the route table association and static routes on it can be created next.
 */
import {
  answer, canWait, CustomResourceEvent, ec2Client, FAILED_STATES, HandlerContext, lambdaRuntime, main, messageOf, Response, Runtime,
} from './custom-resource';

/** The few EC2 calls the acceptor makes. */
export interface PeeringApi {
  /** The attachment's state as seen from `region`, or undefined when it is not found there. */
  state(region: string, attachmentId: string): Promise<string | undefined>;
  /** Accepts the attachment in `region`. */
  accept(region: string, attachmentId: string): Promise<void>;
}

export interface PeeringProperties {
  readonly AttachmentId: string;
  readonly PeerRegion: string;
}

/** Accepts (when pending) and waits for `available`; returns the reason of a failure, or undefined. */
async function acceptAndWait(props: PeeringProperties, context: HandlerContext, runtime: Runtime<PeeringApi>): Promise<string | undefined> {
  const { AttachmentId: id, PeerRegion: peerRegion } = props;
  let accepted = false;
  for (;;) {
    const state = await runtime.api.state(peerRegion, id);
    if (state === 'available') {
      return undefined;
    }
    if (state !== undefined && FAILED_STATES.includes(state)) {
      return `peering attachment ${id} is ${state} in ${peerRegion}`;
    }
    if (state === 'pendingAcceptance' && !accepted) {
      await runtime.api.accept(peerRegion, id);
      accepted = true;
      continue; // see at once what accepting did
    }
    if (!canWait(context, runtime.pollIntervalMs)) {
      return `timed out waiting for peering attachment ${id} to become available in ${peerRegion} (last state: ${state ?? 'not found'})`;
    }
    await runtime.sleep(runtime.pollIntervalMs);
  }
}

export function handle(event: CustomResourceEvent<PeeringProperties>, context: HandlerContext, runtime: Runtime<PeeringApi>): Promise<Response> {
  const id = event.ResourceProperties.AttachmentId;
  return answer(event, runtime.respond, id, async () => {
    try {
      const reason = await acceptAndWait(event.ResourceProperties, context, runtime);
      return reason === undefined ? { data: { AttachmentId: id } } : { reason };
    } catch (error) {
      return { reason: `accepting ${id} failed: ${messageOf(error)}` };
    }
  });
}

/** The acceptor's calls through the AWS SDK v3 (the Lambda runtime's; tests point it at an emulator). */
export function sdkApi(): PeeringApi {
  const clients = new Map<string, ReturnType<typeof ec2Client>>();
  const ec2 = (region: string) => {
    if (!clients.has(region)) {
      clients.set(region, ec2Client(region));
    }
    return clients.get(region)!;
  };
  return {
    async state(region, attachmentId) {
      const { sdk, client } = ec2(region);
      const out = await client.send(new sdk.DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }));
      return out.TransitGatewayPeeringAttachments?.[0]?.State;
    },
    async accept(region, attachmentId) {
      const { sdk, client } = ec2(region);
      await client.send(new sdk.AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: attachmentId }));
    },
  };
}

/** The Lambda entry point: every failure, loading the SDK included, is answered FAILED. */
export async function handler(event: CustomResourceEvent<PeeringProperties>, context: HandlerContext): Promise<Response | undefined> {
  return main(event, context, () => lambdaRuntime(sdkApi()), handle, event.ResourceProperties?.AttachmentId ?? event.RequestId);
}
