/**
 * Custom resource handler: finds the Transit Gateway attachment of a Site-to-Site VPN connection or a
 * Direct Connect gateway (CloudFormation returns neither) and waits until it is available, so that the
 * route table association and propagations on it can be created next.
 */
import {
  answer, canWait, CustomResourceEvent, ec2Client, FAILED_STATES, HandlerContext, lambdaRuntime, main, Response, Runtime,
} from './custom-resource';

/** The EC2 call the lookup makes. */
export interface AttachmentApi {
  /** The attachment of the resource on the Transit Gateway, if it exists yet. */
  find(transitGatewayId: string, resourceType: string, resourceId: string): Promise<{ id: string; state: string } | undefined>;
}

export interface AttachmentProperties {
  readonly TransitGatewayId: string;
  /** `vpn` or `direct-connect-gateway`. */
  readonly ResourceType: string;
  readonly ResourceId: string;
}

export function handle(
  event: CustomResourceEvent<AttachmentProperties>, context: HandlerContext, runtime: Runtime<AttachmentApi>,
): Promise<Response> {
  const { TransitGatewayId: tgw, ResourceType: type, ResourceId: resource } = event.ResourceProperties;
  return answer(event, runtime.respond, resource, async () => {
    for (;;) {
      const found = await runtime.api.find(tgw, type, resource);
      if (found?.state === 'available') {
        return { data: { TransitGatewayAttachmentId: found.id, PhysicalResourceId: found.id } };
      }
      if (found !== undefined && FAILED_STATES.includes(found.state)) {
        return { reason: `the attachment ${found.id} of ${type} ${resource} on ${tgw} is ${found.state}` };
      }
      if (!canWait(context, runtime.pollIntervalMs)) {
        return { reason: `timed out waiting for the attachment of ${type} ${resource} on ${tgw} (last state: ${found?.state ?? 'not found'})` };
      }
      await runtime.sleep(runtime.pollIntervalMs);
    }
  });
}

/** The lookup through the AWS SDK v3 (the Lambda runtime's; tests point it at an emulator). */
export function sdkApi(): AttachmentApi {
  const { sdk, client } = ec2Client();
  return {
    async find(transitGatewayId, resourceType, resourceId) {
      const out = await client.send(new sdk.DescribeTransitGatewayAttachmentsCommand({
        Filters: [
          { Name: 'transit-gateway-id', Values: [transitGatewayId] },
          { Name: 'resource-type', Values: [resourceType] },
          { Name: 'resource-id', Values: [resourceId] },
        ],
      }));
      const attachment = out.TransitGatewayAttachments?.[0];
      return attachment ? { id: attachment.TransitGatewayAttachmentId, state: attachment.State } : undefined;
    },
  };
}

/** The Lambda entry point: every failure, loading the SDK included, is answered FAILED. */
export async function handler(event: CustomResourceEvent<AttachmentProperties>, context: HandlerContext): Promise<Response | undefined> {
  return main(event, context, () => lambdaRuntime(sdkApi()), handle, event.ResourceProperties?.ResourceId ?? event.RequestId);
}
