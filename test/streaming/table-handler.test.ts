import { createTableSql, streamingIngestionSql, TableDefinition, updateTableSql } from '../../src/streaming/handlers/sql';
import { DataApi, isComplete, onEvent, TableEvent, TableProperties } from '../../src/streaming/handlers/table';

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
  return { api, executed };
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
  test('create: submits the DDL, then completes once the statement finished', async () => {
    const { api, executed } = fakeDataApi([{ status: 'STARTED' }, { status: 'FINISHED' }]);
    const created = await onEvent({ RequestType: 'Create', ResourceProperties: PROPS }, api);
    expect(created).toEqual({ PhysicalResourceId: 'analytics/dev/clicks', Data: { StatementId: 'statement-1' } });
    expect(executed).toEqual([[createTableSql(TABLE)]]);
    const event: TableEvent = { RequestType: 'Create', ResourceProperties: PROPS, Data: created.Data };
    expect(await isComplete(event, api)).toEqual({ IsComplete: false });
    expect(await isComplete(event, api)).toEqual({ IsComplete: true });
  });

  test('an SQL failure fails the deployment with Redshift\'s message', async () => {
    const { api } = fakeDataApi([{ status: 'FAILED', error: 'ERROR: permission denied for schema public' }]);
    await expect(isComplete({ RequestType: 'Create', ResourceProperties: PROPS, Data: { StatementId: 's-1' } }, api))
      .rejects.toThrow('Redshift statement s-1 failed: ERROR: permission denied for schema public');
  });

  test('an aborted statement fails too; the Provider framework times out a statement that never ends', async () => {
    const { api } = fakeDataApi([{ status: 'ABORTED' }]);
    await expect(isComplete({ RequestType: 'Create', ResourceProperties: PROPS, Data: { StatementId: 's-1' } }, api)).rejects.toThrow(/aborted/);
    const running = fakeDataApi([{ status: 'STARTED' }]);
    for (let i = 0; i < 3; i++) {
      expect(await isComplete({ RequestType: 'Create', ResourceProperties: PROPS, Data: { StatementId: 's-2' } }, running.api)).toEqual({ IsComplete: false });
    }
  });

  test('delete keeps the table by default and drops it with the destroy policy', async () => {
    const kept = fakeDataApi();
    const keep = await onEvent({ RequestType: 'Delete', PhysicalResourceId: 'analytics/dev/clicks', ResourceProperties: PROPS }, kept.api);
    expect(kept.executed).toEqual([]);
    expect(await isComplete({ RequestType: 'Delete', ResourceProperties: PROPS, Data: keep.Data }, kept.api)).toEqual({ IsComplete: true });
    const dropped = fakeDataApi();
    await onEvent({ RequestType: 'Delete', PhysicalResourceId: 'analytics/dev/clicks', ResourceProperties: { ...PROPS, RemovalPolicy: 'destroy' } }, dropped.api);
    expect(dropped.executed).toEqual([['DROP TABLE IF EXISTS "clicks"']]);
  });

  test('update with a changed table: added column, and a rename that changes the physical ID', async () => {
    const { api, executed } = fakeDataApi();
    const added = { ...PROPS, Table: { ...TABLE, columns: [...TABLE.columns, { name: 'page', dataType: 'VARCHAR(256)' }] } };
    const out = await onEvent({ RequestType: 'Update', PhysicalResourceId: 'analytics/dev/clicks', ResourceProperties: added, OldResourceProperties: PROPS }, api);
    expect(out.PhysicalResourceId).toBe('analytics/dev/clicks');
    expect(executed[0]).toEqual(['ALTER TABLE "clicks" ADD COLUMN "page" VARCHAR(256)']);
    const renamed = await onEvent({ RequestType: 'Update', PhysicalResourceId: 'analytics/dev/clicks', ResourceProperties: { ...PROPS, Table: { ...TABLE, name: 'clicks_v2' } }, OldResourceProperties: PROPS }, api);
    expect(renamed.PhysicalResourceId).toBe('analytics/dev/clicks_v2');
  });

  test('update that retypes a column fails before any SQL runs', async () => {
    const { api, executed } = fakeDataApi();
    const retyped = { ...PROPS, Table: { ...TABLE, columns: [{ name: 'id', dataType: 'BIGINT' }, TABLE.columns[1]] } };
    await expect(onEvent({ RequestType: 'Update', PhysicalResourceId: 'x', ResourceProperties: retyped, OldResourceProperties: PROPS }, api)).rejects.toThrow(/cannot be changed in place/);
    expect(executed).toEqual([]);
  });
});
