import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeStatementCommand, ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { handlerBundle } from '../../src/core/private/handler-function';
import { main, Response } from '../../src/handlers/custom-resource';
import {
  createTableSql, relationExistsSql, RESERVED_WORDS, streamingIngestionSql, TableDefinition, tableChange, tableProblems,
} from '../../src/handlers/sql';
import { CREATED, EXISTING, handle, handler, TableApi, TableEvent, TableProperties } from '../../src/handlers/table';
import { startResponseServer } from '../util/emulator';

const TABLE: TableDefinition = { name: 'clicks', columns: [{ name: 'id', dataType: 'varchar(64)' }, { name: 'ts', dataType: 'TIMESTAMP' }], sortKey: ['ts'], distKey: 'id' };
const PROPS: TableProperties = { WorkgroupName: 'analytics', Database: 'dev', SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x', Table: TABLE, Ingestion: 'copy' };
const STREAMING: TableProperties = {
  ...PROPS, Ingestion: 'streaming', Table: { name: 'clicks_live', columns: [] }, StreamName: 'clicks-stream', StreamingRoleArn: 'arn:aws:iam::123456789012:role/ingest',
};

/**
 * A fake Data API over a set of existing relations and columns: existence queries return one row when the
 * relation or column exists, DDL statements add what they create, `fail` makes a statement matching it fail.
 */
function fakeApi(options: { existing?: string[]; columns?: string[]; fail?: RegExp; statuses?: string[]; stack?: string; throwOn?: 'execute' | 'describe' } = {}) {
  const relations = new Set(options.existing ?? []);
  const columns = new Set(options.columns ?? []);
  const executed: string[] = [];
  let describes = 0;
  const results = new Map<string, { status: string; error?: string; resultRows?: number }>();
  const api: TableApi = {
    async execute(_props, sql) {
      if (options.throwOn === 'execute') {
        throw new Error('ValidationException: workgroup is not available');
      }
      executed.push(sql);
      const id = `statement-${executed.length}`;
      const relation = /c\.relname = '([a-z_0-9]+)'/.exec(sql)?.[1];
      const column = /a\.attname = '([a-z_0-9]+)'/.exec(sql)?.[1];
      if (options.fail?.test(sql)) {
        results.set(id, { status: 'FAILED', error: 'ERROR: permission denied for schema public' });
      } else if (column !== undefined) {
        results.set(id, { status: 'FINISHED', resultRows: columns.has(column) ? 1 : 0 });
      } else if (relation !== undefined) {
        results.set(id, { status: 'FINISHED', resultRows: relations.has(relation) ? 1 : 0 });
      } else {
        const created = /CREATE (?:TABLE IF NOT EXISTS|MATERIALIZED VIEW) (?:"[a-z_0-9]+"\.)?"([a-z_0-9]+)"/.exec(sql)?.[1];
        if (created) {
          relations.add(created);
        }
        results.set(id, { status: 'FINISHED', resultRows: 0 });
      }
      return id;
    },
    async describe(id) {
      if (options.throwOn === 'describe') {
        throw new Error('ThrottlingException: rate exceeded');
      }
      const status = options.statuses?.[describes];
      describes++;
      return status !== undefined ? { ...results.get(id)!, status } : results.get(id)!;
    },
    async stackStatus() {
      return options.stack ?? 'UPDATE_IN_PROGRESS';
    },
  };
  return { api, executed, ddl: () => executed.filter((sql) => !sql.startsWith('SELECT')), describes: () => describes };
}

/** Runs one event through the handler with `remainingMs` left, recording the answer and the sleeps. */
async function run(api: TableApi, event: Partial<TableEvent> & Pick<TableEvent, 'RequestType'>, remainingMs = 600_000) {
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

  test('refuses injected identifiers and types even when the construct was bypassed', () => {
    expect(() => createTableSql({ ...TABLE, name: 'x"; DROP TABLE y; --' })).toThrow(/table.name must be a lower-case Redshift identifier/);
    expect(() => createTableSql({ ...TABLE, columns: [{ name: 'id', dataType: 'INT) ; DROP TABLE y; --' }] })).toThrow(/dataType must be a Redshift type/);
  });

  test('refuses reserved words, which Firehose\'s COPY would name unquoted', () => {
    expect(RESERVED_WORDS.has('timestamp')).toBe(true);
    expect(tableProblems({ ...TABLE, columns: [{ name: 'timestamp', dataType: 'TIMESTAMP' }], sortKey: undefined, distKey: undefined }))
      .toEqual([expect.stringMatching(/table.columns\[0\].name must not be a Redshift reserved word .* but 'timestamp' was provided/)]);
    expect(tableProblems({ ...TABLE, name: 'order' })).toEqual([expect.stringMatching(/table.name must not be a Redshift reserved word/)]);
    expect(tableProblems({ ...TABLE, schema: 'user' })).toEqual([expect.stringMatching(/table.schema must not be a Redshift reserved word/)]);
  });

  test.each([
    ['DECIMAL(39,2)', /DECIMAL precision must be 1-38/],
    ['DECIMAL(5,10)', /DECIMAL scale must not exceed its precision/],
    ['CHAR(5000)', /CHAR length must be 1-4096/],
    ['VARCHAR(70000)', /VARCHAR length must be 1-65535 or MAX/],
    ['VARCHAR(0)', /VARCHAR length must be 1-65535 or MAX/],
    ['VARBYTE(2000000)', /VARBYTE length must be 1-1024000/],
  ])('refuses %s naming the limit', (dataType, message) => {
    expect(tableProblems({ name: 't', columns: [{ name: 'c', dataType }] })).toEqual([expect.stringMatching(message)]);
  });

  test.each(['DECIMAL(38,38)', 'CHAR(4096)', 'VARCHAR(65535)', 'VARCHAR(MAX)', 'VARBYTE(1024000)', 'DOUBLE PRECISION', 'timestamp with time zone'])('accepts %s', (dataType) => {
    expect(tableProblems({ name: 't', columns: [{ name: 'c', dataType }] })).toEqual([]);
  });

  test('refuses SUPER, GEOMETRY, GEOGRAPHY and HLLSKETCH columns as sort or distribution keys', () => {
    for (const type of ['SUPER', 'GEOMETRY', 'GEOGRAPHY', 'HLLSKETCH']) {
      const table = { name: 't', columns: [{ name: 'c', dataType: type }, { name: 'd', dataType: 'INT' }] };
      expect(tableProblems({ ...table, sortKey: ['c'] })).toEqual([expect.stringMatching(new RegExp(`table.sortKey must not name a ${type} column`))]);
      expect(tableProblems({ ...table, distKey: 'c' })).toEqual([expect.stringMatching(new RegExp(`table.distKey must not name a ${type} column`))]);
    }
  });

  test('existence queries read the catalog, in the table\'s schema or the one CREATE would use', () => {
    expect(relationExistsSql({ name: 'clicks' })).toMatch(/WHERE n.nspname = current_schema\(\) AND c.relname = 'clicks' AND c.relkind IN \('r', 'v', 'm'\)$/);
    expect(relationExistsSql({ schema: 'web', name: 'clicks' })).toMatch(/WHERE n.nspname = 'web' AND c.relname = 'clicks' AND c.relkind/);
  });

  test('a change in place adds columns and sets changed keys, and refuses a retyped column', () => {
    const after = { ...TABLE, columns: [...TABLE.columns, { name: 'page', dataType: 'VARCHAR(MAX)' }], sortKey: ['id', 'ts'], distKey: undefined };
    expect(tableChange(TABLE, after)).toEqual({
      addColumns: [{ name: 'page', dataType: 'VARCHAR(MAX)' }],
      alterKeys: ['ALTER TABLE "clicks" ALTER DISTSTYLE AUTO', 'ALTER TABLE "clicks" ALTER COMPOUND SORTKEY ("id", "ts")'],
    });
    expect(() => tableChange(TABLE, { ...TABLE, columns: [{ name: 'id', dataType: 'BIGINT' }, TABLE.columns[1]] }))
      .toThrow(/table "clicks" cannot be changed in place \(id from VARCHAR\(64\) to BIGINT\)/);
    // A column left out of the definition stays in the table: nothing is dropped.
    expect(tableChange(TABLE, { ...TABLE, columns: [TABLE.columns[1]], distKey: undefined }).addColumns).toEqual([]);
  });

  test('streaming ingestion: the schema, the external schema and the auto-refresh materialized view, one statement each', () => {
    const sqls = streamingIngestionSql({ schema: 'live', name: 'clicks', columns: [] }, 'clicks-stream', 'arn:aws:iam::123456789012:role/ingest');
    expect(sqls).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "live"',
      'CREATE EXTERNAL SCHEMA IF NOT EXISTS "clicks_kinesis" FROM KINESIS IAM_ROLE \'arn:aws:iam::123456789012:role/ingest\'',
      expect.stringMatching(/^CREATE MATERIALIZED VIEW "live"."clicks" AUTO REFRESH YES AS SELECT .* FROM "clicks_kinesis"."clicks-stream" WHERE CAN_JSON_PARSE\(kinesis_data\)$/),
    ]);
    expect(() => streamingIngestionSql({ name: 'clicks', columns: [] }, "x'; DROP", 'arn:aws:iam::123456789012:role/ingest')).toThrow(/is not a Kinesis stream name/);
  });

  test('streaming ingestion refuses stream names Redshift would fold to lower case, and names too long for the external schema', () => {
    expect(() => streamingIngestionSql({ name: 'clicks', columns: [] }, 'Clicks-Stream', 'arn:aws:iam::123456789012:role/ingest'))
      .toThrow(/the stream name 'Clicks-Stream' has upper-case letters/);
    expect(tableProblems({ name: 'a'.repeat(120), columns: [{ name: 'payload', dataType: 'SUPER' }] }, { streaming: true }))
      .toEqual([expect.stringMatching(/table.name must be at most 119 characters with STREAMING ingestion/)]);
    expect(tableProblems({ name: 'a'.repeat(119), columns: [{ name: 'payload', dataType: 'SUPER' }] }, { streaming: true })).toEqual([]);
  });
});

describe('table handler', () => {
  test('create: checks the table does not exist, creates it, and records that it created it', async () => {
    const { api, executed } = fakeApi({ statuses: ['FINISHED', 'STARTED', 'STARTED', 'FINISHED'] });
    const { response, sleeps } = await run(api, { RequestType: 'Create' });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, Data: { Created: 'true' } });
    expect(executed).toEqual([relationExistsSql(TABLE), createTableSql(TABLE)]);
    expect(sleeps).toEqual([2_000, 2_000]);
  });

  test('create with a schema runs the schema and the table as separate statements', async () => {
    const { api, ddl } = fakeApi();
    await run(api, { RequestType: 'Create', ResourceProperties: { ...PROPS, Table: { ...TABLE, schema: 'web' } } });
    expect(ddl()).toEqual(['CREATE SCHEMA IF NOT EXISTS "web"', expect.stringMatching(/^CREATE TABLE IF NOT EXISTS "web"."clicks"/)]);
  });

  test('create adopts a table that exists, runs no DDL, and never drops it afterwards', async () => {
    const fake = fakeApi({ existing: ['clicks'] });
    const { response } = await run(fake.api, { RequestType: 'Create', ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `analytics/dev/public.clicks${EXISTING}`, Data: { Created: 'false' } });
    expect(fake.ddl()).toEqual([]);
    const deleted = await run(fake.api, { RequestType: 'Delete', PhysicalResourceId: response.PhysicalResourceId, ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(deleted.response.Status).toBe('SUCCESS');
    expect(fake.ddl()).toEqual([]);
  });

  test('a failed create answers a physical ID that a rollback delete never drops', async () => {
    const failing = fakeApi({ fail: /^CREATE TABLE/ });
    const { response } = await run(failing.api, { RequestType: 'Create', ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'analytics/dev/public.clicks#failed', Reason: expect.stringMatching(/^Redshift statement statement-2 failed: ERROR: permission denied for schema public/) });
    const rollback = fakeApi({ existing: ['clicks'] });
    await run(rollback.api, { RequestType: 'Delete', PhysicalResourceId: response.PhysicalResourceId, ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(rollback.executed).toEqual([]);
  });

  test('an aborted statement fails too, and so does one still running when the time runs out', async () => {
    const aborted = await run(fakeApi({ statuses: ['ABORTED'] }).api, { RequestType: 'Create' });
    expect(aborted.response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^Redshift statement statement-1 aborted: no error message/) });
    const running = fakeApi({ statuses: ['STARTED', 'STARTED'] });
    const timedOut = await run(running.api, { RequestType: 'Create' }, 21_000);
    expect(timedOut.response).toMatchObject({ Status: 'FAILED', Reason: 'timed out waiting for Redshift statement statement-1 (last status: STARTED)' });
    expect(running.describes()).toBe(1);
  });

  test.each(['execute', 'describe'] as const)('a Data API error in %s fails with its message', async (stage) => {
    const { response } = await run(fakeApi({ throwOn: stage }).api, { RequestType: 'Create' });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: stage === 'execute' ? 'ValidationException: workgroup is not available' : 'ThrottlingException: rate exceeded' });
  });

  test('delete keeps the table by default, and drops only a table it created with the destroy policy', async () => {
    const kept = fakeApi({ existing: ['clicks'] });
    const keep = await run(kept.api, { RequestType: 'Delete', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}` });
    expect(keep.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}` });
    expect(kept.executed).toEqual([]);
    const dropped = fakeApi({ existing: ['clicks'] });
    await run(dropped.api, { RequestType: 'Delete', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(dropped.executed).toEqual(['DROP TABLE IF EXISTS "clicks"']);
    // An ID from before ownership was recorded: kept.
    const legacy = fakeApi({ existing: ['clicks'] });
    await run(legacy.api, { RequestType: 'Delete', PhysicalResourceId: 'analytics/dev/public.clicks', ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(legacy.executed).toEqual([]);
  });

  test.each([
    ['workgroup', { WorkgroupName: 'other' }, 'other/dev/public.clicks'],
    ['database', { Database: 'analytics' }, 'analytics/analytics/public.clicks'],
    ['schema', { Table: { ...TABLE, schema: 'web' } }, 'analytics/dev/web.clicks'],
    ['table name', { Table: { ...TABLE, name: 'clicks_v2' } }, 'analytics/dev/public.clicks_v2'],
    ['cluster', { WorkgroupName: '', ClusterIdentifier: 'warehouse' }, 'warehouse/dev/public.clicks'],
  ])('a changed %s creates the table where it now belongs, under a new physical ID', async (_what, change, place) => {
    const { api, ddl } = fakeApi({ existing: ['clicks'] });
    const props = { ...PROPS, ...change } as TableProperties;
    const existing = props.Table.name === 'clicks' && place !== 'analytics/dev/public.clicks';
    const { response } = await run(api, { RequestType: 'Update', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, ResourceProperties: props, OldResourceProperties: PROPS });
    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId.startsWith(place)).toBe(true);
    // The fake knows relations by name only: a table of the same name elsewhere counts as there already.
    if (!existing) {
      expect(ddl()).toEqual([...props.Table.schema ? ['CREATE SCHEMA IF NOT EXISTS "web"'] : [], createTableSql(props.Table)]);
    }
  });

  test('the rollback of a failed move keeps the resource\'s ID, so CloudFormation never deletes (drops) the table it stands for', async () => {
    const { api, ddl } = fakeApi({ existing: ['clicks'], columns: ['id', 'ts'], stack: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    const moved = { ...PROPS, Table: { ...TABLE, name: 'clicks_v2' } };
    // The move to clicks_v2 failed: the resource is still clicks#created; the rollback brings the old properties back.
    const { response } = await run(api, {
      RequestType: 'Update',
      PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`,
      ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' },
      OldResourceProperties: moved,
    });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}` });
    expect(ddl()).toEqual([]);
  });

  test('no schema and the public schema are the same place: no move, no adoption, nothing dropped', async () => {
    const { api, ddl } = fakeApi({ existing: ['clicks'], columns: ['id', 'ts'] });
    const { response } = await run(api, {
      RequestType: 'Update',
      PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`,
      ResourceProperties: { ...PROPS, Table: { ...TABLE, schema: 'public' } },
      OldResourceProperties: PROPS,
    });
    expect(response.PhysicalResourceId).toBe(`analytics/dev/public.clicks${CREATED}`);
    expect(ddl()).toEqual([]);
  });

  test('a delete whose properties name another place than its ID drops nothing', async () => {
    const { api, executed } = fakeApi({ existing: ['clicks'] });
    await run(api, { RequestType: 'Delete', PhysicalResourceId: `analytics/dev/public.clicks_v2${CREATED}`, ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(executed).toEqual([]);
  });

  test('a statement that finishes without a row count fails the create instead of taking an existing table for a new one', async () => {
    const api: TableApi = { ...fakeApi().api, describe: async () => ({ status: 'FINISHED', resultRows: -1 }) };
    const { response } = await run(api, { RequestType: 'Create' });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/finished without a row count \(-1\): cannot tell what exists/) });
  });

  test('the old place\'s delete after a move drops the old table only if it was created and destroy was chosen', async () => {
    const { api, executed } = fakeApi({ existing: ['clicks'] });
    await run(api, { RequestType: 'Delete', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } });
    expect(executed).toEqual(['DROP TABLE IF EXISTS "clicks"']);
  });

  test('an update in place adds the missing columns (checking first) and changes the keys, keeping the physical ID', async () => {
    const { api, executed } = fakeApi({ existing: ['clicks'], columns: ['id', 'ts'] });
    const after = { ...PROPS, Table: { ...TABLE, columns: [...TABLE.columns, { name: 'page', dataType: 'VARCHAR(256)' }], distKey: undefined } };
    const { response } = await run(api, { RequestType: 'Update', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, ResourceProperties: after, OldResourceProperties: PROPS });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}` });
    expect(executed).toEqual([
      expect.stringMatching(/a.attname = 'page'/),
      'ALTER TABLE "clicks" ADD COLUMN "page" VARCHAR(256)',
      'ALTER TABLE "clicks" ALTER DISTSTYLE AUTO',
    ]);
  });

  test('an update that retypes a column fails before any DDL runs', async () => {
    const { api, ddl } = fakeApi({ existing: ['clicks'] });
    const retyped = { ...PROPS, Table: { ...TABLE, columns: [{ name: 'id', dataType: 'BIGINT' }, TABLE.columns[1]] } };
    const { response } = await run(api, { RequestType: 'Update', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, ResourceProperties: retyped, OldResourceProperties: PROPS });
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, Reason: expect.stringMatching(/cannot be changed in place/) });
    expect(ddl()).toEqual([]);
  });

  test('the rollback of a refused update answers SUCCESS (a rollback never gets stuck) and re-adds nothing that exists', async () => {
    const { api, ddl } = fakeApi({ existing: ['clicks'], columns: ['id', 'ts'], stack: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    const retyped = { ...PROPS, Table: { ...TABLE, columns: [{ name: 'id', dataType: 'BIGINT' }, TABLE.columns[1]] } };
    const { response } = await run(api, { RequestType: 'Update', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, ResourceProperties: PROPS, OldResourceProperties: retyped });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, Data: { Warnings: expect.stringMatching(/cannot be changed in place/) } });
    expect(ddl()).toEqual([]);
  });

  test('the rollback of an update that added a column finds it there and adds nothing', async () => {
    const { api, executed } = fakeApi({ existing: ['clicks'], columns: ['id', 'ts', 'page'], stack: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    const added = { ...PROPS, Table: { ...TABLE, columns: [...TABLE.columns, { name: 'page', dataType: 'VARCHAR(256)' }] } };
    const { response } = await run(api, { RequestType: 'Update', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, ResourceProperties: PROPS, OldResourceProperties: added });
    expect(response.Status).toBe('SUCCESS');
    expect(executed).toEqual([]);
  });

  test('changing the ingestion of a table in place is refused with what to do', async () => {
    const { api, ddl } = fakeApi({ existing: ['clicks'] });
    const { response } = await run(api, {
      RequestType: 'Update',
      PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`,
      ResourceProperties: { ...STREAMING, Table: { name: 'clicks', columns: [] } },
      OldResourceProperties: PROPS,
    });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/is loaded by Firehose COPY; it cannot be loaded by streaming from clicks-stream .* in place: give the table a new name/) });
    expect(ddl()).toEqual([]);
  });

  test('streaming: create runs the external schema and the view; destroy drops the view it created', async () => {
    const { api, ddl } = fakeApi();
    const { response } = await run(api, { RequestType: 'Create', ResourceProperties: STREAMING });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `analytics/dev/public.clicks_live${CREATED}` });
    expect(ddl()).toEqual([expect.stringMatching(/^CREATE EXTERNAL SCHEMA IF NOT EXISTS "clicks_live_kinesis"/), expect.stringMatching(/^CREATE MATERIALIZED VIEW "clicks_live"/)]);
    const dropped = fakeApi({ existing: ['clicks_live'] });
    await run(dropped.api, { RequestType: 'Delete', PhysicalResourceId: response.PhysicalResourceId, ResourceProperties: { ...STREAMING, RemovalPolicy: 'destroy' } });
    expect(dropped.executed).toEqual(['DROP MATERIALIZED VIEW IF EXISTS "clicks_live"']);
    const live = { ...STREAMING, RemovalPolicy: 'destroy', Table: { schema: 'live', name: 'clicks_live', columns: [] } };
    const inSchema = fakeApi({ existing: ['clicks_live'] });
    await run(inSchema.api, { RequestType: 'Delete', PhysicalResourceId: `analytics/dev/live.clicks_live${CREATED}`, ResourceProperties: live });
    expect(inSchema.executed).toEqual(['DROP MATERIALIZED VIEW IF EXISTS "live"."clicks_live"']);
  });

  test('streaming: a stream name with upper-case letters fails the create with the reason', async () => {
    const { response } = await run(fakeApi().api, { RequestType: 'Create', ResourceProperties: { ...STREAMING, StreamName: 'Clicks' } });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/upper-case letters, which Redshift folds to lower case/) });
  });
});

describe('table handler entry point (AWS SDK v3 calls mocked)', () => {
  const data = mockClient(RedshiftDataClient);
  const cfn = mockClient(CloudFormationClient);
  const context = { getRemainingTimeInMillis: () => 600_000 };

  beforeAll(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  beforeEach(() => {
    data.reset();
    cfn.reset();
  });

  async function invoke(event: Partial<TableEvent> & Pick<TableEvent, 'RequestType'>) {
    const server = await startResponseServer();
    try {
      const full: TableEvent = {
        ResponseURL: server.url,
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Clicks/1',
        RequestId: 'request-1',
        LogicalResourceId: 'Table',
        ResourceProperties: PROPS,
        ...event,
      };
      const response = await handler(full, context);
      return { response, received: server.responses };
    } finally {
      await server.close();
    }
  }

  test('runs each statement with ExecuteStatement against the workgroup, with the secret', async () => {
    let n = 0;
    data.on(ExecuteStatementCommand).callsFake(async () => ({ Id: `00000000-0000-0000-0000-00000000000${++n}` }));
    data.on(DescribeStatementCommand).resolves({ Status: 'FINISHED', ResultRows: 0 });
    const { response, received } = await invoke({ RequestType: 'Create' });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}` });
    expect(received).toEqual([expect.objectContaining({ method: 'PUT', Status: 'SUCCESS' })]);
    const calls = data.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      expect.objectContaining({ WorkgroupName: 'analytics', Database: 'dev', SecretArn: PROPS.SecretArn, Sql: relationExistsSql(TABLE) }),
      expect.objectContaining({ Sql: createTableSql(TABLE) }),
    ]);
  });

  test('the stack status comes from DescribeStacks on the event\'s stack', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'Clicks', StackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS', CreationTime: new Date() }] });
    data.on(ExecuteStatementCommand).resolves({ Id: '00000000-0000-0000-0000-000000000001' });
    data.on(DescribeStatementCommand).resolves({ Status: 'FINISHED', ResultRows: 1 });
    const retyped = { ...PROPS, Table: { ...TABLE, columns: [{ name: 'id', dataType: 'BIGINT' }, TABLE.columns[1]] } };
    const { response } = await invoke({ RequestType: 'Update', PhysicalResourceId: `analytics/dev/public.clicks${CREATED}`, ResourceProperties: PROPS, OldResourceProperties: retyped });
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(cfn.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Clicks/1' });
  });

  test('an SDK error answers FAILED through the response URL', async () => {
    data.on(ExecuteStatementCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    const { response, received } = await invoke({ RequestType: 'Create' });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'AccessDeniedException: User is not authorized' });
    expect(received).toEqual([expect.objectContaining({ Status: 'FAILED', PhysicalResourceId: 'analytics/dev/public.clicks#failed' })]);
  });
});

describe('failures outside the handler\'s own work are answered FAILED', () => {
  const event = {
    RequestType: 'Create' as const,
    ResponseURL: 'https://example/response',
    StackId: 'stack',
    RequestId: 'request-1',
    LogicalResourceId: 'Table',
    ResourceProperties: PROPS,
  };
  const context = { getRemainingTimeInMillis: () => 600_000 };

  beforeAll(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  test('loading the SDK fails (module not found)', async () => {
    const answered: Response[] = [];
    const response = await main(event, context, () => { throw new Error("Cannot find module '@aws-sdk/client-redshift-data'"); },
      handle, 'analytics/dev/public.clicks#failed', async (_url, r) => { answered.push(r); });
    expect(answered).toEqual([response]);
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'analytics/dev/public.clicks#failed', Reason: "Table: Cannot find module '@aws-sdk/client-redshift-data'" });
  });

  test('the SDK module throws while loading, in the bundle Lambda runs (assets/handlers/table/index.js)', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('@aws-sdk/client-redshift-data', () => { throw new Error('SyntaxError in the SDK'); });
      // Loading the bundle itself needs nothing but Node.js built-ins: the SDK is loaded inside the handler.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const entry = require(path.join(handlerBundle('table'), 'index.js'));
      const server = await startResponseServer();
      try {
        const response = await entry.handler({ ...event, ResponseURL: server.url }, context);
        expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('SyntaxError in the SDK') });
        expect(server.responses).toEqual([expect.objectContaining({ Status: 'FAILED' })]);
      } finally {
        await server.close();
      }
    });
  });

  test('a client cannot be created (bad configuration)', async () => {
    const answered: Response[] = [];
    const response = await main(event, context, () => { throw new Error('Region is missing'); }, handle, 'x#failed', async (_url, r) => { answered.push(r); });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Table: Region is missing' });
    expect(answered).toHaveLength(1);
  });

  test('the handler itself throws after nothing was answered', async () => {
    const answered: Response[] = [];
    const broken = () => ({ api: {} as TableApi, respond: async () => undefined, sleep: async () => undefined, pollIntervalMs: 1 });
    const response = await main(event, context, broken,
      async () => { throw new TypeError('bug'); }, 'x#failed', async (_url, r) => { answered.push(r); });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Table: TypeError: bug' });
    expect(answered).toHaveLength(1);
  });

  test('an answer that cannot be delivered is tried once more as FAILED, then logged', async () => {
    let attempts = 0;
    const response = await main(event, context, () => fakeRuntime(), handle, 'x#failed', async () => { attempts++; throw new Error('connection reset'); });
    expect(response).toBeUndefined();
    expect(attempts).toBe(2); // the handler's own answer, then main's FAILED answer
  });

  function fakeRuntime() {
    return { api: fakeApi().api, respond: async () => undefined, sleep: async () => undefined, pollIntervalMs: 1 };
  }
});
