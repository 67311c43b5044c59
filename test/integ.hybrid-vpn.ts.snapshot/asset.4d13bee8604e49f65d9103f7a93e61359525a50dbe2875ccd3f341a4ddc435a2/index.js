"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/handlers/attachment-lookup.ts
var attachment_lookup_exports = {};
__export(attachment_lookup_exports, {
  handle: () => handle,
  handler: () => handler,
  sdkApi: () => sdkApi
});
module.exports = __toCommonJS(attachment_lookup_exports);

// src/handlers/custom-resource.ts
var http = __toESM(require("http"));
var https = __toESM(require("https"));
var import_url = require("url");
var FAILED_STATES = ["rejected", "rejecting", "failed", "failing", "deleted", "deleting"];
var SAFETY_MARGIN_MS = 2e4;
var MAX_REASON_LENGTH = 2e3;
function canWait(context, pollIntervalMs) {
  return context.getRemainingTimeInMillis() >= pollIntervalMs + SAFETY_MARGIN_MS;
}
function messageOf(error) {
  if (error instanceof Error) {
    const name = error.name && error.name !== "Error" && !error.message.startsWith(error.name) ? `${error.name}: ` : "";
    return `${name}${error.message}`;
  }
  return String(error);
}
function baseOf(event, physicalResourceId) {
  return {
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId
  };
}
async function answer(event, respond, physicalResourceId, work, runOnDelete = false, failedPhysicalResourceId = physicalResourceId) {
  let result = {};
  if (event.RequestType !== "Delete" || runOnDelete) {
    try {
      result = await work();
    } catch (error) {
      result = { reason: messageOf(error) };
    }
  }
  const current = event.PhysicalResourceId ?? physicalResourceId;
  const response = result.reason === void 0 ? { ...baseOf(event, result.data?.PhysicalResourceId ?? current), Status: "SUCCESS", Data: result.data } : { ...baseOf(event, event.PhysicalResourceId ?? failedPhysicalResourceId), Status: "FAILED", Reason: result.reason.slice(0, MAX_REASON_LENGTH) };
  await respond(event.ResponseURL, response);
  return response;
}
async function main(event, context, createRuntime, handle2, failedPhysicalResourceId, respond = putResponse) {
  let answered = false;
  const tracked = async (url, response) => {
    await respond(url, response);
    answered = true;
  };
  try {
    const { RequestType, LogicalResourceId, PhysicalResourceId } = event;
    console.log(JSON.stringify({ RequestType, LogicalResourceId, PhysicalResourceId }));
    const runtime = createRuntime();
    const response = await handle2(event, context, { ...runtime, respond: tracked });
    console.log(JSON.stringify({ Status: response.Status, Reason: response.Reason, PhysicalResourceId: response.PhysicalResourceId }));
    return response;
  } catch (error) {
    console.error(JSON.stringify({ error: messageOf(error), answered }));
    if (answered) {
      return void 0;
    }
    const response = {
      ...baseOf(event, event.PhysicalResourceId ?? failedPhysicalResourceId),
      Status: "FAILED",
      Reason: `${event.LogicalResourceId}: ${messageOf(error)}`.slice(0, MAX_REASON_LENGTH)
    };
    try {
      await respond(event.ResponseURL, response);
      return response;
    } catch (respondError) {
      console.error(JSON.stringify({ error: `could not answer CloudFormation: ${messageOf(respondError)}` }));
      return void 0;
    }
  }
}
function putResponse(url, response) {
  const body = JSON.stringify(response);
  const target = new import_url.URL(url);
  const client = target.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const request = client.request({
      hostname: target.hostname,
      port: target.port || void 0,
      path: `${target.pathname}${target.search}`,
      method: "PUT",
      headers: { "content-type": "", "content-length": Buffer.byteLength(body) },
      timeout: 3e4
    }, (res) => {
      res.resume();
      res.on("end", () => res.statusCode !== void 0 && res.statusCode >= 300 ? reject(new Error(`the response URL answered HTTP ${res.statusCode}`)) : resolve());
    });
    request.on("timeout", () => request.destroy(new Error("the response URL did not answer within 30 seconds")));
    request.on("error", reject);
    request.end(body);
  });
}
function lambdaRuntime(api, pollIntervalMs = 15e3) {
  return {
    api,
    respond: putResponse,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    pollIntervalMs
  };
}
function clientConfig(region) {
  const endpoint = process.env.CDK_REFERENCE_PATTERNS_ENDPOINT;
  return {
    ...region ? { region } : {},
    ...endpoint ? { endpoint } : {}
  };
}
function ec2Client(region) {
  const sdk = require("@aws-sdk/client-ec2");
  return { sdk, client: new sdk.EC2Client(clientConfig(region)) };
}

// src/handlers/attachment-lookup.ts
function handle(event, context, runtime) {
  const { TransitGatewayId: tgw, ResourceType: type, ResourceId: resource } = event.ResourceProperties;
  return answer(event, runtime.respond, resource, async () => {
    for (; ; ) {
      const found = await runtime.api.find(tgw, type, resource);
      if (found?.state === "available") {
        return { data: { TransitGatewayAttachmentId: found.id, PhysicalResourceId: found.id } };
      }
      if (found !== void 0 && FAILED_STATES.includes(found.state)) {
        return { reason: `the attachment ${found.id} of ${type} ${resource} on ${tgw} is ${found.state}` };
      }
      if (!canWait(context, runtime.pollIntervalMs)) {
        return { reason: `timed out waiting for the attachment of ${type} ${resource} on ${tgw} (last state: ${found?.state ?? "not found"})` };
      }
      await runtime.sleep(runtime.pollIntervalMs);
    }
  });
}
function sdkApi() {
  const { sdk, client } = ec2Client();
  return {
    async find(transitGatewayId, resourceType, resourceId) {
      const out = await client.send(new sdk.DescribeTransitGatewayAttachmentsCommand({
        Filters: [
          { Name: "transit-gateway-id", Values: [transitGatewayId] },
          { Name: "resource-type", Values: [resourceType] },
          { Name: "resource-id", Values: [resourceId] }
        ]
      }));
      const attachment = out.TransitGatewayAttachments?.[0];
      return attachment ? { id: attachment.TransitGatewayAttachmentId, state: attachment.State } : void 0;
    }
  };
}
async function handler(event, context) {
  return main(event, context, () => lambdaRuntime(sdkApi()), handle, event.ResourceProperties?.ResourceId ?? event.RequestId);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handle,
  handler,
  sdkApi
});
