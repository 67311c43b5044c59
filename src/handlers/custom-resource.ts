/* eslint-disable import/no-extraneous-dependencies */
/**
 * Shared plumbing of the custom resource handlers. They are plain Lambda-backed custom resources (no
 * Provider framework: one function, one role, one log group each): each answers CloudFormation itself
 * through the pre-signed response URL, and waits for its work (a Transit Gateway attachment to become
 * available, a Redshift statement to finish) within its own time limit.
 *
 * Every handler is bundled into one JavaScript file (assets/handlers/<name>/index.js) whose only top-level
 * imports are Node.js built-ins: the AWS SDK is loaded inside `main`, so a failure to load or configure it
 * is answered FAILED like any other. The custom resource's ServiceTimeout bounds what cannot be answered
 * (the function killed by Lambda), and the function's asynchronous retries are off (set where the function
 * is defined), so a half-done request is never run a second time behind CloudFormation's back.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
import * as http from 'http';
import * as https from 'https';
import { URL } from 'url';

export interface CustomResourceEvent<P> {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: P;
  /** The properties before an Update. */
  readonly OldResourceProperties?: P;
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

/** What a handler needs from the outside world; tests inject their own. */
export interface Runtime<Api> {
  readonly api: Api;
  readonly respond: (url: string, response: Response) => Promise<void>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollIntervalMs: number;
}

/** Attachment states from which `available` will not come. */
export const FAILED_STATES = ['rejected', 'rejecting', 'failed', 'failing', 'deleted', 'deleting'];
/** Time kept back to answer CloudFormation before Lambda stops the function. */
const SAFETY_MARGIN_MS = 20_000;
/** CloudFormation shows at most 4 KB of a response; a Reason longer than that is cut. */
const MAX_REASON_LENGTH = 2_000;

/** Whether there is time for another poll. */
export function canWait(context: HandlerContext, pollIntervalMs: number): boolean {
  return context.getRemainingTimeInMillis() >= pollIntervalMs + SAFETY_MARGIN_MS;
}

/** The message of anything thrown, with the error's name when it adds to it (SDK errors). */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}

function baseOf(event: CustomResourceEvent<unknown>, physicalResourceId: string) {
  return {
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
}

/**
 * Runs `work` for Create and Update, and for Delete only when `runOnDelete` (by default Delete does nothing:
 * CloudFormation deletes the underlying resources), and answers CloudFormation: SUCCESS with the data `work`
 * returns (its `PhysicalResourceId` entry, when present, becomes the physical ID), or FAILED with its reason.
 * A failed Create answers `failedPhysicalResourceId` (default `physicalResourceId`): the ID CloudFormation
 * passes to the Delete of its rollback.
 */
export async function answer<P>(
  event: CustomResourceEvent<P>,
  respond: Runtime<unknown>['respond'],
  physicalResourceId: string,
  work: () => Promise<{ data?: Record<string, string>; reason?: string }>,
  runOnDelete = false,
  failedPhysicalResourceId = physicalResourceId,
): Promise<Response> {
  let result: { data?: Record<string, string>; reason?: string } = {};
  if (event.RequestType !== 'Delete' || runOnDelete) {
    try {
      result = await work();
    } catch (error) {
      result = { reason: messageOf(error) };
    }
  }
  const current = event.PhysicalResourceId ?? physicalResourceId;
  const response: Response = result.reason === undefined
    ? { ...baseOf(event, result.data?.PhysicalResourceId ?? current), Status: 'SUCCESS', Data: result.data }
    // A failed Update or Delete keeps the resource's current ID: CloudFormation still owns that resource.
    : { ...baseOf(event, event.PhysicalResourceId ?? failedPhysicalResourceId), Status: 'FAILED', Reason: result.reason.slice(0, MAX_REASON_LENGTH) };
  await respond(event.ResponseURL, response);
  return response;
}

/**
 * The Lambda entry point of every handler: logs the request, creates the runtime (loads the AWS SDK and its
 * clients), runs `handle`, and answers FAILED itself when anything before or after `handle`'s own answer
 * throws, so CloudFormation never waits for a response that will not come. Returns what was answered, or
 * undefined when even answering failed (then ServiceTimeout ends the wait).
 */
export async function main<P, Api>(
  event: CustomResourceEvent<P>,
  context: HandlerContext,
  createRuntime: () => Runtime<Api>,
  handle: (event: CustomResourceEvent<P>, context: HandlerContext, runtime: Runtime<Api>) => Promise<Response>,
  failedPhysicalResourceId: string,
  respond: Runtime<Api>['respond'] = putResponse,
): Promise<Response | undefined> {
  let answered = false;
  const tracked = async (url: string, response: Response) => {
    await respond(url, response);
    answered = true;
  };
  try {
    const { RequestType, LogicalResourceId, PhysicalResourceId } = event;
    console.log(JSON.stringify({ RequestType, LogicalResourceId, PhysicalResourceId }));
    const runtime = createRuntime();
    const response = await handle(event, context, { ...runtime, respond: tracked });
    console.log(JSON.stringify({ Status: response.Status, Reason: response.Reason, PhysicalResourceId: response.PhysicalResourceId }));
    return response;
  } catch (error) {
    console.error(JSON.stringify({ error: messageOf(error), answered }));
    if (answered) {
      return undefined;
    }
    const response: Response = {
      ...baseOf(event, event.PhysicalResourceId ?? failedPhysicalResourceId),
      Status: 'FAILED',
      Reason: `${event.LogicalResourceId}: ${messageOf(error)}`.slice(0, MAX_REASON_LENGTH),
    };
    try {
      await respond(event.ResponseURL, response);
      return response;
    } catch (respondError) {
      console.error(JSON.stringify({ error: `could not answer CloudFormation: ${messageOf(respondError)}` }));
      return undefined;
    }
  }
}

/**
 * PUTs the response to CloudFormation's pre-signed S3 URL (https; tests answer to a local http server).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
export function putResponse(url: string, response: Response): Promise<void> {
  const body = JSON.stringify(response);
  const target = new URL(url);
  const client = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = client.request({
      hostname: target.hostname,
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: 30_000,
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode !== undefined && res.statusCode >= 300
        ? reject(new Error(`the response URL answered HTTP ${res.statusCode}`))
        : resolve()));
    });
    request.on('timeout', () => request.destroy(new Error('the response URL did not answer within 30 seconds')));
    request.on('error', reject);
    request.end(body);
  });
}

/** The runtime of a handler in Lambda: the real response URL and timers. */
export function lambdaRuntime<Api>(api: Api, pollIntervalMs = 15_000): Runtime<Api> {
  return {
    api,
    respond: putResponse,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    pollIntervalMs,
  };
}

/**
 * Client configuration for the AWS SDK clients of the handlers: the region when given, and nothing else in
 * Lambda. `CDK_REFERENCE_PATTERNS_ENDPOINT` (tests only) points the clients at an emulator.
 */
export function clientConfig(region?: string): Record<string, unknown> {
  const endpoint = process.env.CDK_REFERENCE_PATTERNS_ENDPOINT;
  return {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/** The EC2 client of the Lambda Node.js runtime's AWS SDK v3, loaded when called (so a failure is answered). */
export function ec2Client(region?: string): { sdk: any; client: any } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-ec2');
  return { sdk, client: new sdk.EC2Client(clientConfig(region)) };
}
