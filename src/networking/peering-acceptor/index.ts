/* eslint-disable import/no-extraneous-dependencies */
/**
 * Custom resource handler: accepts a Transit Gateway peering attachment in the peer region and waits until
 * it is available, so that route table associations and static routes on it can be created next.
 *
 * It is a plain Lambda-backed custom resource (no Provider framework): it answers CloudFormation itself
 * through the pre-signed response URL. The AWS SDK v3 of the Lambda Node.js runtime is loaded at run time;
 * tests inject their own `Ec2Api` instead.
 */
import * as https from 'https';
import { URL } from 'url';

/** The few EC2 calls the handler makes. */
export interface Ec2Api {
  /** The attachment's state as seen from `region`, or undefined when it is not found there. */
  state(region: string, attachmentId: string): Promise<string | undefined>;
  /** Accepts the attachment in `region`. */
  accept(region: string, attachmentId: string): Promise<void>;
}

export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly AttachmentId: string; readonly PeerRegion: string };
}

export interface HandlerContext {
  getRemainingTimeInMillis(): number;
}

export interface Response {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export interface Dependencies {
  readonly ec2: Ec2Api;
  readonly respond: (url: string, response: Response) => Promise<void>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollIntervalMs: number;
}

const FAILED_STATES = ['rejected', 'rejecting', 'failed', 'failing', 'deleted', 'deleting'];
/** Time kept back to answer CloudFormation before Lambda stops the function. */
const SAFETY_MARGIN_MS = 20_000;

/** Accepts (when pending) and waits for `available`; returns the reason of a failure, or undefined. */
export async function acceptAndWait(
  props: CustomResourceEvent['ResourceProperties'], context: HandlerContext, deps: Dependencies,
): Promise<string | undefined> {
  const { AttachmentId: id, PeerRegion: peerRegion } = props;
  let accepted = false;
  for (;;) {
    const state = await deps.ec2.state(peerRegion, id);
    if (state === 'available') {
      return undefined;
    }
    if (state !== undefined && FAILED_STATES.includes(state)) {
      return `peering attachment ${id} is ${state} in ${peerRegion}`;
    }
    if (state === 'pendingAcceptance' && !accepted) {
      await deps.ec2.accept(peerRegion, id);
      accepted = true;
    }
    if (context.getRemainingTimeInMillis() < deps.pollIntervalMs + SAFETY_MARGIN_MS) {
      return `timed out waiting for peering attachment ${id} to become available in ${peerRegion} (last state: ${state ?? 'not found'})`;
    }
    await deps.sleep(deps.pollIntervalMs);
  }
}

export async function handle(event: CustomResourceEvent, context: HandlerContext, deps: Dependencies): Promise<Response> {
  const physicalResourceId = event.PhysicalResourceId ?? event.ResourceProperties.AttachmentId;
  const base = {
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  let reason: string | undefined;
  if (event.RequestType !== 'Delete') {
    try {
      reason = await acceptAndWait(event.ResourceProperties, context, deps);
    } catch (error) {
      reason = `accepting ${event.ResourceProperties.AttachmentId} failed: ${(error as Error).message ?? String(error)}`;
    }
  }
  const response: Response = reason === undefined
    ? { ...base, Status: 'SUCCESS', Data: { AttachmentId: event.ResourceProperties.AttachmentId } }
    : { ...base, Status: 'FAILED', Reason: reason };
  await deps.respond(event.ResponseURL, response);
  return response;
}

/* istanbul ignore next: the AWS glue below runs only in Lambda */
function sdkEc2Api(): Ec2Api {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-ec2');
  const clients = new Map<string, any>();
  const client = (region: string) => {
    if (!clients.has(region)) {
      clients.set(region, new sdk.EC2Client({ region }));
    }
    return clients.get(region);
  };
  return {
    async state(region, attachmentId) {
      const out = await client(region).send(new sdk.DescribeTransitGatewayPeeringAttachmentsCommand({
        TransitGatewayAttachmentIds: [attachmentId],
      }));
      return out.TransitGatewayPeeringAttachments?.[0]?.State;
    },
    async accept(region, attachmentId) {
      await client(region).send(new sdk.AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: attachmentId }));
    },
  };
}

/* istanbul ignore next */
function putResponse(url: string, response: Response): Promise<void> {
  const body = JSON.stringify(response);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = https.request({
      hostname: target.hostname,
      path: `${target.pathname}${target.search}`,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    request.on('error', reject);
    request.end(body);
  });
}

/* istanbul ignore next */
export async function handler(event: CustomResourceEvent, context: HandlerContext): Promise<void> {
  console.log(JSON.stringify({ RequestType: event.RequestType, ResourceProperties: event.ResourceProperties }));
  const response = await handle(event, context, {
    ec2: sdkEc2Api(),
    respond: putResponse,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    pollIntervalMs: 15_000,
  });
  console.log(JSON.stringify({ Status: response.Status, Reason: response.Reason }));
}
