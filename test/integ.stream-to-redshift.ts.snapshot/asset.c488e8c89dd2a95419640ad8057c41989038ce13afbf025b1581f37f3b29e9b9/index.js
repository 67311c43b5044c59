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

// src/handlers/table.ts
var table_exports = {};
__export(table_exports, {
  CREATED: () => CREATED,
  EXISTING: () => EXISTING,
  FAILED: () => FAILED,
  handle: () => handle,
  handler: () => handler,
  placeOf: () => placeOf,
  sdkApi: () => sdkApi
});
module.exports = __toCommonJS(table_exports);

// src/handlers/custom-resource.ts
var http = __toESM(require("http"));
var https = __toESM(require("https"));
var import_url = require("url");
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

// src/handlers/sql.ts
var IDENTIFIER = /^[a-z_][a-z0-9_]{0,126}$/;
var MAX_IDENTIFIER_BYTES = 127;
var STREAM_SCHEMA_SUFFIX = "_kinesis";
var MAX_COLUMNS = 1600;
var MAX_SORT_KEY_COLUMNS = 400;
var MAX_COPY_COLUMNS_LENGTH = 204800;
var RESERVED_WORDS = new Set(`AES128 AES256 ALL ALLOWOVERWRITE ANALYSE ANALYZE AND ANY ARRAY AS ASC AUTHORIZATION AZ64
BACKUP BETWEEN BINARY BLANKSASNULL BOTH BYTEDICT BZIP2 CASE CAST CHECK COLLATE COLUMN CONSTRAINT CREATE CREDENTIALS CROSS
CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURRENT_USER_ID DEFAULT DEFERRABLE DEFLATE DEFRAG DELTA DELTA32K
DESC DISABLE DISTINCT DO ELSE EMPTYASNULL ENABLE ENCODE ENCRYPT ENCRYPTION END EXCEPT EXPLICIT FALSE FOR FOREIGN FREEZE
FROM FULL GLOBALDICT256 GLOBALDICT64K GRANT GROUP GZIP HAVING IDENTITY IGNORE ILIKE IN INITIALLY INNER INTERSECT INTERVAL
INTO IS ISNULL JOIN LEADING LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP LUN LUNS LZO LZOP MINUS MOSTLY16 MOSTLY32 MOSTLY8
NATURAL NEW NOT NOTNULL NULL NULLS OFF OFFLINE OFFSET OID OLD ON ONLY OPEN OR ORDER OUTER OVERLAPS PARALLEL PARTITION
PERCENT PERMISSIONS PIVOT PLACING PRIMARY RAW READRATIO RECOVER REFERENCES REJECTLOG RESORT RESPECT RESTORE RIGHT SELECT
SESSION_USER SIMILAR SNAPSHOT SOME SYSDATE SYSTEM TABLE TAG TDES TEXT255 TEXT32K THEN TIMESTAMP TO TOP TRAILING TRUE
TRUNCATECOLUMNS UNION UNIQUE UNNEST UNPIVOT USER USING VERBOSE WALLET WHEN WHERE WITH WITHOUT`.split(/\s+/).map((w) => w.toLowerCase()));
var TYPES = [
  /^(SMALLINT|INT2|INTEGER|INT|INT4|BIGINT|INT8)$/,
  /^(DECIMAL|NUMERIC)(\((\d{1,3})(,\s?(\d{1,3}))?\))?$/,
  /^(REAL|FLOAT4|DOUBLE PRECISION|FLOAT8|FLOAT)$/,
  /^(BOOLEAN|BOOL)$/,
  /^(CHAR|CHARACTER|NCHAR|BPCHAR)(\((\d{1,5})\))?$/,
  /^(VARCHAR|CHARACTER VARYING|NVARCHAR|TEXT)(\((\d{1,6}|MAX)\))?$/,
  /^(DATE|TIME|TIMETZ|TIMESTAMP|TIMESTAMPTZ|TIME WITHOUT TIME ZONE|TIME WITH TIME ZONE|TIMESTAMP WITHOUT TIME ZONE|TIMESTAMP WITH TIME ZONE)$/,
  /^(SUPER|GEOMETRY|GEOGRAPHY|HLLSKETCH)$/,
  /^(VARBYTE|VARBINARY|BINARY VARYING)(\((\d{1,8})\))?$/
];
function typeSizeProblem(type) {
  const decimal = /^(?:DECIMAL|NUMERIC)\((\d+)(?:,\s?(\d+))?\)$/.exec(type);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = decimal[2] === void 0 ? 0 : Number(decimal[2]);
    if (precision < 1 || precision > 38) {
      return "DECIMAL precision must be 1-38";
    }
    if (scale > precision) {
      return "DECIMAL scale must not exceed its precision";
    }
  }
  const sized = [
    [/^(?:CHAR|CHARACTER|NCHAR|BPCHAR)\((\d+)\)$/, 4096, "CHAR length must be 1-4096"],
    [/^(?:VARCHAR|CHARACTER VARYING|NVARCHAR|TEXT)\((\d+)\)$/, 65535, "VARCHAR length must be 1-65535 or MAX"],
    [/^(?:VARBYTE|VARBINARY|BINARY VARYING)\((\d+)\)$/, 1024e3, "VARBYTE length must be 1-1024000"]
  ];
  for (const [pattern, max, message] of sized) {
    const match = pattern.exec(type);
    if (match && (Number(match[1]) < 1 || Number(match[1]) > max)) {
      return message;
    }
  }
  return void 0;
}
var UNKEYABLE = /^(SUPER|GEOMETRY|GEOGRAPHY|HLLSKETCH)$/;
function normalizedType(dataType) {
  return dataType.trim().toUpperCase().replace(/\s+/g, " ");
}
function tableProblems(table, options = {}) {
  const problems = [];
  const identifier = (prop, value) => {
    if (!IDENTIFIER.test(value)) {
      problems.push(`${prop} must be a lower-case Redshift identifier (a letter or underscore, then letters, digits or underscores; at most 127), but '${value}' was provided`);
    } else if (RESERVED_WORDS.has(value)) {
      problems.push(`${prop} must not be a Redshift reserved word (Firehose's COPY names it unquoted; see https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html), but '${value}' was provided`);
    }
  };
  if (table.schema !== void 0) {
    identifier("table.schema", table.schema);
  }
  identifier("table.name", table.name);
  if (options.streaming && table.name.length + STREAM_SCHEMA_SUFFIX.length > MAX_IDENTIFIER_BYTES) {
    problems.push(`table.name must be at most ${MAX_IDENTIFIER_BYTES - STREAM_SCHEMA_SUFFIX.length} characters with STREAMING ingestion (the external schema '<name>${STREAM_SCHEMA_SUFFIX}' must fit Redshift's ${MAX_IDENTIFIER_BYTES}-byte identifiers), but '${table.name}' has ${table.name.length}`);
  }
  if (table.columns.length === 0 || table.columns.length > MAX_COLUMNS) {
    problems.push(`table.columns must hold 1 to ${MAX_COLUMNS} columns, but ${table.columns.length} were provided`);
  }
  const types = /* @__PURE__ */ new Map();
  table.columns.forEach((column, i) => {
    identifier(`table.columns[${i}].name`, column.name);
    if (types.has(column.name)) {
      problems.push(`table.columns names must be unique, but '${column.name}' was provided twice`);
    }
    const type = normalizedType(column.dataType);
    types.set(column.name, type);
    if (!TYPES.some((t) => t.test(type))) {
      problems.push(`table.columns[${i}].dataType must be a Redshift type such as VARCHAR(64), BIGINT, DECIMAL(18,2), TIMESTAMP or SUPER, but '${column.dataType}' was provided`);
      return;
    }
    const size = typeSizeProblem(type);
    if (size !== void 0) {
      problems.push(`table.columns[${i}].dataType ${size}, but '${column.dataType}' was provided`);
    }
  });
  const names = [...types.keys()];
  const key = (prop, column) => {
    if (!types.has(column)) {
      problems.push(`${prop} must name ${prop === "table.distKey" ? "one of the columns" : "columns of the table"} (${names.join(", ")}), but '${column}' was provided`);
    } else if (UNKEYABLE.test(types.get(column))) {
      problems.push(`${prop} must not name a ${types.get(column)} column (Redshift cannot sort or distribute on it), but '${column}' was provided`);
    }
  };
  if (table.distKey !== void 0) {
    key("table.distKey", table.distKey);
  }
  for (const column of table.sortKey ?? []) {
    key("table.sortKey", column);
  }
  if (table.sortKey !== void 0 && table.sortKey.length > MAX_SORT_KEY_COLUMNS) {
    problems.push(`table.sortKey may name at most ${MAX_SORT_KEY_COLUMNS} columns, but ${table.sortKey.length} were provided`);
  }
  const copyColumns = copyColumnList(table);
  if (copyColumns.length > MAX_COPY_COLUMNS_LENGTH) {
    problems.push(`table.columns names must fit Firehose's COPY column list of ${MAX_COPY_COLUMNS_LENGTH} characters, but they take ${copyColumns.length}`);
  }
  return problems;
}
function checkTable(table, options = {}) {
  const problems = tableProblems(table, options);
  if (problems.length > 0) {
    throw new Error(problems.join("; "));
  }
}
function copyColumnList(table) {
  return table.columns.map((c) => c.name).join(",");
}
function qualifiedName(table) {
  return table.schema ? `"${table.schema}"."${table.name}"` : `"${table.name}"`;
}
function columnSql(column) {
  return `"${column.name}" ${normalizedType(column.dataType)}`;
}
function createSchemaSql(table) {
  return table.schema ? [`CREATE SCHEMA IF NOT EXISTS "${table.schema}"`] : [];
}
function createTableSql(table) {
  checkTable(table);
  const columns = table.columns.map(columnSql).join(", ");
  const dist = table.distKey ? ` DISTSTYLE KEY DISTKEY("${table.distKey}")` : "";
  const sort = table.sortKey && table.sortKey.length > 0 ? ` COMPOUND SORTKEY(${table.sortKey.map((k) => `"${k}"`).join(", ")})` : "";
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (${columns})${dist}${sort}`;
}
function literal(identifierValue) {
  if (!IDENTIFIER.test(identifierValue)) {
    throw new Error(`'${identifierValue}' is not a lower-case Redshift identifier`);
  }
  return `'${identifierValue}'`;
}
function relationExistsSql(table) {
  const schema = table.schema ? literal(table.schema) : "current_schema()";
  return `SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema} AND c.relname = ${literal(table.name)} AND c.relkind IN ('r', 'v', 'm')`;
}
function columnExistsSql(table, column) {
  const schema = table.schema ? literal(table.schema) : "current_schema()";
  return `SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema} AND c.relname = ${literal(table.name)} AND a.attname = ${literal(column)} AND a.attnum > 0 AND NOT a.attisdropped`;
}
function addColumnSql(table, column) {
  return `ALTER TABLE ${qualifiedName(table)} ADD COLUMN ${columnSql(column)}`;
}
function tableChange(before, after) {
  checkTable(after);
  const old = new Map(before.columns.map((c) => [c.name, normalizedType(c.dataType)]));
  const changed = after.columns.filter((c) => old.has(c.name) && old.get(c.name) !== normalizedType(c.dataType));
  if (changed.length > 0) {
    const what = changed.map((c) => `${c.name} from ${old.get(c.name)} to ${normalizedType(c.dataType)}`).join(", ");
    throw new Error(`table ${qualifiedName(after)} cannot be changed in place (${what}): migrate it yourself or give the table a new name`);
  }
  const name = qualifiedName(after);
  const alterKeys = [];
  if ((before.distKey ?? "") !== (after.distKey ?? "")) {
    alterKeys.push(after.distKey ? `ALTER TABLE ${name} ALTER DISTSTYLE KEY DISTKEY "${after.distKey}"` : `ALTER TABLE ${name} ALTER DISTSTYLE AUTO`);
  }
  const sortBefore = (before.sortKey ?? []).join(",");
  const sortAfter = (after.sortKey ?? []).join(",");
  if (sortBefore !== sortAfter) {
    alterKeys.push(after.sortKey && after.sortKey.length > 0 ? `ALTER TABLE ${name} ALTER COMPOUND SORTKEY (${after.sortKey.map((k) => `"${k}"`).join(", ")})` : `ALTER TABLE ${name} ALTER SORTKEY AUTO`);
  }
  return { addColumns: after.columns.filter((c) => !old.has(c.name)), alterKeys };
}
function dropTableSql(table) {
  return `DROP TABLE IF EXISTS ${qualifiedName(table)}`;
}
function dropViewSql(table) {
  return `DROP MATERIALIZED VIEW IF EXISTS ${qualifiedName(table)}`;
}
function streamNameProblem(streamName) {
  if (!/^[a-zA-Z0-9_.-]{1,127}$/.test(streamName)) {
    return `'${streamName}' is not a Kinesis stream name`;
  }
  if (/[A-Z]/.test(streamName)) {
    return `the stream name '${streamName}' has upper-case letters, which Redshift folds to lower case (enable_case_sensitive_identifier is off): streaming ingestion would not find the stream; use a stream with a lower-case name`;
  }
  return void 0;
}
function streamingIngestionSql(table, streamName, roleArn) {
  checkTable({ ...table, columns: table.columns.length > 0 ? table.columns : [{ name: "payload", dataType: "SUPER" }] }, { streaming: true });
  const streamProblem = streamNameProblem(streamName);
  if (streamProblem !== void 0) {
    throw new Error(streamProblem);
  }
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(roleArn)) {
    throw new Error(`'${roleArn}' is not an IAM role ARN`);
  }
  const external = `${table.name}${STREAM_SCHEMA_SUFFIX}`;
  return [
    ...createSchemaSql(table),
    `CREATE EXTERNAL SCHEMA IF NOT EXISTS "${external}" FROM KINESIS IAM_ROLE '${roleArn}'`,
    `CREATE MATERIALIZED VIEW ${qualifiedName(table)} AUTO REFRESH YES AS SELECT approximate_arrival_timestamp, partition_key, shard_id, sequence_number, JSON_PARSE(kinesis_data) AS payload FROM "${external}"."${streamName}" WHERE CAN_JSON_PARSE(kinesis_data)`
  ];
}

// src/handlers/table.ts
var CREATED = "#created";
var EXISTING = "#existing";
var FAILED = "#failed";
function placeOf(props) {
  const target = props.WorkgroupName || props.ClusterIdentifier;
  return `${target}/${props.Database}/${props.Table.schema ?? "public"}.${props.Table.name}`;
}
function streaming(props) {
  return props.Ingestion === "streaming";
}
function loaderOf(props) {
  return streaming(props) ? `streaming from ${props.StreamName} as ${props.StreamingRoleArn}` : "Firehose COPY";
}
async function run(props, sql, context, runtime) {
  const statementId = await runtime.api.execute(props, sql);
  for (; ; ) {
    const { status, error, resultRows } = await runtime.api.describe(statementId);
    if (status === "FINISHED") {
      if (resultRows === void 0 || resultRows < 0) {
        throw new Error(`Redshift statement ${statementId} finished without a row count (${resultRows}): cannot tell what exists (${sql.slice(0, 200)})`);
      }
      return resultRows;
    }
    if (status === "FAILED" || status === "ABORTED") {
      throw new Error(`Redshift statement ${statementId} ${status.toLowerCase()}: ${error ?? "no error message"} (${sql.slice(0, 200)})`);
    }
    if (!canWait(context, runtime.pollIntervalMs)) {
      throw new Error(`timed out waiting for Redshift statement ${statementId} (last status: ${status})`);
    }
    await runtime.sleep(runtime.pollIntervalMs);
  }
}
async function create(props, context, runtime) {
  const statements = streaming(props) ? streamingIngestionSql(props.Table, props.StreamName ?? "", props.StreamingRoleArn ?? "") : [...createSchemaSql(props.Table), createTableSql(props.Table)];
  if (await run(props, relationExistsSql(props.Table), context, runtime) > 0) {
    return false;
  }
  for (const sql of statements) {
    await run(props, sql, context, runtime);
  }
  return true;
}
async function alterInPlace(before, props, context, runtime, lenient, warnings) {
  const attempt = async (what) => {
    try {
      await what();
    } catch (error) {
      if (!lenient) {
        throw error;
      }
      warnings.push(messageOf(error));
    }
  };
  if (loaderOf(before) !== loaderOf(props)) {
    if (!lenient) {
      throw new Error(`table ${placeOf(props)} is loaded by ${loaderOf(before)}; it cannot be loaded by ${loaderOf(props)} in place: give the table a new name`);
    }
    return;
  }
  if (streaming(props)) {
    return;
  }
  let change = { addColumns: [], alterKeys: [] };
  await attempt(async () => {
    change = tableChange(before.Table, props.Table);
  });
  for (const column of change.addColumns) {
    await attempt(async () => {
      if (await run(props, columnExistsSql(props.Table, column.name), context, runtime) === 0) {
        await run(props, addColumnSql(props.Table, column), context, runtime);
      }
    });
  }
  for (const sql of change.alterKeys) {
    await attempt(() => run(props, sql, context, runtime));
  }
}
async function rollingBack(event, runtime) {
  const status = await runtime.api.stackStatus(event.StackId).catch(() => void 0);
  return status === "UPDATE_ROLLBACK_IN_PROGRESS";
}
function handle(event, context, runtime) {
  const props = event.ResourceProperties;
  const place = placeOf(props);
  return answer(event, runtime.respond, `${place}${FAILED}`, async () => {
    switch (event.RequestType) {
      case "Create": {
        const created = await create(props, context, runtime);
        return { data: { PhysicalResourceId: `${place}${created ? CREATED : EXISTING}`, Created: String(created) } };
      }
      case "Update": {
        const before = event.OldResourceProperties ?? props;
        const lenient = await rollingBack(event, runtime);
        const current = event.PhysicalResourceId ?? "";
        if (placeOf(before) !== place && !current.startsWith(`${place}#`)) {
          const created = await create(props, context, runtime);
          return { data: { PhysicalResourceId: `${place}${created ? CREATED : EXISTING}`, Created: String(created) } };
        }
        const warnings = [];
        if (!streaming(props)) {
          checkTable(props.Table);
        }
        await alterInPlace(before, props, context, runtime, lenient, warnings);
        const id = event.PhysicalResourceId ?? `${place}${EXISTING}`;
        return { data: { PhysicalResourceId: id, Created: String(id.endsWith(CREATED)), ...warnings.length > 0 ? { Warnings: warnings.join("; ").slice(0, 1e3) } : {} } };
      }
      case "Delete": {
        const id = event.PhysicalResourceId ?? "";
        if (props.RemovalPolicy === "destroy" && id === `${place}${CREATED}`) {
          await run(props, streaming(props) ? dropViewSql(props.Table) : dropTableSql(props.Table), context, runtime);
        }
        return { data: { PhysicalResourceId: id } };
      }
    }
  }, true, `${place}${FAILED}`);
}
function sdkApi() {
  const data = require("@aws-sdk/client-redshift-data");
  const cfn = require("@aws-sdk/client-cloudformation");
  const client = new data.RedshiftDataClient(clientConfig());
  const cloudformation = new cfn.CloudFormationClient(clientConfig());
  return {
    async execute(props, sql) {
      const out = await client.send(new data.ExecuteStatementCommand({
        ...props.WorkgroupName ? { WorkgroupName: props.WorkgroupName } : { ClusterIdentifier: props.ClusterIdentifier },
        Database: props.Database,
        SecretArn: props.SecretArn,
        Sql: sql,
        StatementName: "cdk-reference-patterns-table"
      }));
      return out.Id;
    },
    async describe(statementId) {
      const out = await client.send(new data.DescribeStatementCommand({ Id: statementId }));
      return { status: out.Status, error: out.Error, resultRows: out.ResultRows };
    },
    async stackStatus(stackId) {
      const out = await cloudformation.send(new cfn.DescribeStacksCommand({ StackName: stackId }));
      return out.Stacks?.[0]?.StackStatus;
    }
  };
}
async function handler(event, context) {
  const place = event.ResourceProperties?.Table ? placeOf(event.ResourceProperties) : event.RequestId;
  return main(event, context, () => lambdaRuntime(sdkApi(), 2e3), handle, `${place}${FAILED}`);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  CREATED,
  EXISTING,
  FAILED,
  handle,
  handler,
  placeOf,
  sdkApi
});
