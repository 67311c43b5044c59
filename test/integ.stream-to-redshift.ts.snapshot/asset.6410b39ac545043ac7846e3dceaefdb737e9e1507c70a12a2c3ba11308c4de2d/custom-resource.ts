/* eslint-disable import/no-extraneous-dependencies */
/**
 * Shared plumbing of the custom resource handlers. They are plain Lambda-backed custom resources (no
 * Provider framework: one function, one role, one log group each): each answers CloudFormation itself
 * through the pre-signed response URL, and waits for its work (a Transit Gateway attachment to become
 * available, a Redshift statement to finish) within its own time limit.
 */
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

/** Whether there is time for another poll. */
export function canWait(context: HandlerContext, pollIntervalMs: number): boolean {
  return context.getRemainingTimeInMillis() >= pollIntervalMs + SAFETY_MARGIN_MS;
}

/**
 * Runs `work` for Create and Update, and for Delete only when `runOnDelete` (by default Delete does nothing:
 * CloudFormation deletes the underlying resources), and answers CloudFormation: SUCCESS with the data `work`
 * returns (its `PhysicalResourceId` entry, when present, becomes the physical ID), or FAILED with its reason.
 */
export async function answer<P>(
  event: CustomResourceEvent<P>,
  respond: Runtime<unknown>['respond'],
  physicalResourceId: string,
  work: () => Promise<{ data?: Record<string, string>; reason?: string }>,
  runOnDelete = false,
): Promise<Response> {
  const base = {
    PhysicalResourceId: event.PhysicalResourceId ?? physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  let result: { data?: Record<string, string>; reason?: string } = {};
  if (event.RequestType !== 'Delete' || runOnDelete) {
    try {
      result = await work();
    } catch (error) {
      result = { reason: (error as Error).message ?? String(error) };
    }
  }
  const response: Response = result.reason === undefined
    ? { ...base, PhysicalResourceId: result.data?.PhysicalResourceId ?? base.PhysicalResourceId, Status: 'SUCCESS', Data: result.data }
    : { ...base, Status: 'FAILED', Reason: result.reason };
  await respond(event.ResponseURL, response);
  return response;
}

/* istanbul ignore next: runs only in Lambda */
export function putResponse(url: string, response: Response): Promise<void> {
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

/* istanbul ignore next: runs only in Lambda */
export function lambdaRuntime<Api>(api: Api, pollIntervalMs = 15_000): Runtime<Api> {
  return {
    api,
    respond: putResponse,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    pollIntervalMs,
  };
}

/* istanbul ignore next: runs only in Lambda */
export function ec2Client(region?: string): { sdk: any; client: any } {
  // The Lambda Node.js runtime ships the AWS SDK v3.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-ec2');
  return { sdk, client: new sdk.EC2Client(region ? { region } : {}) };
}
