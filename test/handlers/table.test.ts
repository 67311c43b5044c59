import { Response } from '../../src/handlers/custom-resource';
import { createTableSql, streamingIngestionSql, TableDefinition, updateTableSql } from '../../src/handlers/sql';
import { DataApi, handle, TableEvent, TableProperties } from '../../src/handlers/table';

const TABLE: TableDefinition = { name: 'clicks', columns: [{ name: 'id', dataType: 'varchar(64)' }, { name: 'ts', dataType: 'TIMESTAMP' }], sortKey: ['ts'], distKey: 'id' };
const PROPS: TableProperties = { WorkgroupName: 'analytics', Database: 'dev', SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x', Table: TABLE };

/** A Data API that records statements and answers DescribeStatement with `statuses` in turn. */
function fakeDataApi(statuses: Array<{ status: string; error?: string }> = [{ status: 'FINISHED' }]) {
  const executed: string[][] = [];
  let i = 0;
  const api: DataApi = {
    async execute(_props, sqls) {
      executed.push(sqls);
      return `statement-${executed.length}`;
    },
    async describe() {
      return statuses[Math.min(i++, statuses.length - 1)];
    },
  };
  return { api, executed, describes: () => i };
}

/** Runs one event through the handler with `remainingMs` left, recording the answer and the sleeps. */
async function run(api: DataApi, event: Partial<TableEvent> & Pick<TableEvent, 'RequestType'>, remainingMs = 600_000) {
  const responses: Response[] = [];
  const sleeps: number[] = [];
  const full: TableEvent = {
    ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Clicks/1',
    RequestId: 'request-1',
    LogicalResourceId: 'Table',
    ResourceProperties: PROPS,
    ...event,
  };
  const response = await handle(full, { getRemainingTimeInMillis: () => remainingMs }, {
    api, respond: async (_url, r) => { responses.push(r); }, sleep: async (ms) => { sleeps.push(ms); }, pollIntervalMs: 2_000,
  });
  expect(responses).toEqual([response]);
  return { response, sleeps };
}

describe('table SQL', () => {
  test('CREATE TABLE IF NOT EXISTS with quoted identifiers, DISTKEY and SORTKEY', () => {
    expect(createTableSql(TABLE)).toBe('CREATE TABLE IF NOT EXISTS "clicks" ("id" VARCHAR(64), "ts" TIMESTAMP) DISTSTYLE KEY DISTKEY("id") COMPOUND SORTKEY("ts")');
  });

  test('a schema is created first', () => {
    expect(createTableSql({ ...TABLE, schema: 'web', sortKey: undefined, distKey: undefined }).split(';\n'))
      .toEqual(['CREATE SCHEMA IF NOT EXISTS "web"', 'CREATE TABLE IF NOT EXISTS "web"."clicks" ("id" VARCHAR(64), "ts" TIMESTAMP)']);
  });

  test('refuses injected identifiers and types even when the construct was bypassed', () => {
    expect(() => createTableSql({ ...TABLE, name: 'x"; DROP TABLE y; --' })).toThrow(/table.name must be a lower-case Redshift identifier/);
    expect(() => createTableSql({ ...TABLE, columns: [{ name: 'id', dataType: 'INT) ; DROP TABLE y; --' }] })).toThrow(/dataType must be a Redshift type/);
  });

  test('an update adds new columns, refuses dropped or retyped ones', () => {
    const added = { ...TABLE, columns: [...TABLE.columns, { name: 'page', dataType: 'VARCHAR(MAX)' }] };
    expect(updateTableSql(TABLE, added)).toEqual(['ALTER TABLE "clicks" ADD COLUMN "page" VARCHAR(MAX)']);
    expect(() => updateTableSql(TABLE, { ...TABLE, columns: [{ name: 'id', dataType: 'BIGINT' }, TABLE.columns[1]] }))
      .toThrow(/table "clicks" cannot be changed in place \(id from VARCHAR\(64\) to BIGINT\)/);
    expect(() => updateTableSql(TABLE, { ...TABLE, columns: [TABLE.columns[0]], sortKey: undefined })).toThrow(/ts dropped/);
  });

  test('a renamed table is created anew', () => {
    expect(updateTableSql(TABLE, { ...TABLE, name: 'clicks_v2' })).toEqual([expect.stringContaining('CREATE TABLE IF NOT EXISTS "clicks_v2"')]);
  });

  test('streaming ingestion: external schema and auto-refresh materialized view', () => {
    const sqls = streamingIngestionSql({ name: 'clicks', columns: [] }, 'clicks-stream', 'arn:aws:iam::123456789012:role/ingest');
    expect(sqls[0]).toBe('CREATE EXTERNAL SCHEMA IF NOT EXISTS "clicks_kinesis" FROM KINESIS IAM_ROLE \'arn:aws:iam::123456789012:role/ingest\'');
    expect(sqls[1]).toMatch(/^CREATE MATERIALIZED VIEW "clicks" AUTO REFRESH YES AS SELECT .* FROM "clicks_kinesis"."clicks-stream"/);
    expect(() => streamingIngestionSql({ name: 'clicks', columns: [] }, "x'; DROP", 'arn:aws:iam::123456789012:role/ingest')).toThrow(/invalid stream name/);
  });
});

describe('table handler', () => {
  test('create: submits the DDL, waits for the statement, answers SUCCESS with the table as physical ID', async () => {
    const { api, executed } = fakeDataApi([{ status: 'STARTED' }, { status: 'STARTED' }, { status: 'FINISHED' }]);
    const { response, sleeps } = await run(api, { RequestType: 'Create' });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'analytics/dev/clicks', RequestId: 'request-1', LogicalResourceId: 'Table' });
    expect(executed).toEqual([[createTableSql(TABLE)]]);
    expect(sleeps).toEqual([2_000, 2_000]);
  });

  test('an SQL failure fails the deployment with Redshift\'s message', async () => {
    const { api } = fakeDataApi([{ status: 'FAILED', error: 'ERROR: permission denied for schema public' }]);
    const { response } = await run(api, { RequestType: 'Create' });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Redshift statement statement-1 failed: ERROR: permission denied for schema public' });
  });

  test('an aborted statement fails too, and so does one still running when the time runs out', async () => {
    const aborted = await run(fakeDataApi([{ status: 'ABORTED' }]).api, { RequestType: 'Create' });
    expect(aborted.response).toMatchObject({ Status: 'FAILED', Reason: 'Redshift statement statement-1 aborted: no error message' });
    const running = fakeDataApi([{ status: 'STARTED' }]);
    const timedOut = await run(running.api, { RequestType: 'Create' }, 21_000);
    expect(timedOut.response).toMatchObject({ Status: 'FAILED', Reason: 'timed out waiting for Redshift statement statement-1 (last status: STARTED)' });
    expect(running.describes()).toBe(1);
  });

  test('a Data API error (e.g. the workgroup is not ready) fails with its message', async () => {
    const api: DataApi = { execute: async () => { throw new Error('ValidationException: workgroup is not available'); }, describe: async () => ({ status: 'FINISHED' }) };
    const { response } = await run(api, { RequestType: 'Create' });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'ValidationException: workgroup is not available' });
  });

  test('delete keeps the table by default and drops it with the destroy policy', async () => {
    const kept = fakeDataApi();
    const keep = await run(kept.api, { RequestType: 'Delete', PhysicalResourceId: 'analytics/dev/clicks' });
    expect(keep.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'analytics/dev/clicks' });
    expect(kept.executed).toEqual([]);
    const dropped = fakeDataApi();
    await run(dropped.api, { RequestType: 'Delete', PhysicalResourceId: 'analytics/dev/clicks', ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(dropped.executed).toEqual([['DROP TABLE IF EXISTS "clicks"']]);
  });

  test('update with a changed table: added column, and a rename that changes the physical ID', async () => {
    const { api, executed } = fakeDataApi();
    const added = { ...PROPS, Table: { ...TABLE, columns: [...TABLE.columns, { name: 'page', dataType: 'VARCHAR(256)' }] } };
    const out = await run(api, { RequestType: 'Update', PhysicalResourceId: 'analytics/dev/clicks', ResourceProperties: added, OldResourceProperties: PROPS });
    expect(out.response.PhysicalResourceId).toBe('analytics/dev/clicks');
    expect(executed[0]).toEqual(['ALTER TABLE "clicks" ADD COLUMN "page" VARCHAR(256)']);
    const renamed = await run(api, { RequestType: 'Update', PhysicalResourceId: 'analytics/dev/clicks', ResourceProperties: { ...PROPS, Table: { ...TABLE, name: 'clicks_v2' } }, OldResourceProperties: PROPS });
    expect(renamed.response.PhysicalResourceId).toBe('analytics/dev/clicks_v2');
  });

  test('update that retypes a column fails before any SQL runs', async () => {
    const { api, executed } = fakeDataApi();
    const retyped = { ...PROPS, Table: { ...TABLE, columns: [{ name: 'id', dataType: 'BIGINT' }, TABLE.columns[1]] } };
    const { response } = await run(api, { RequestType: 'Update', PhysicalResourceId: 'x', ResourceProperties: retyped, OldResourceProperties: PROPS });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/cannot be changed in place/) });
    expect(executed).toEqual([]);
  });
});
