/* eslint-disable import/no-extraneous-dependencies */
/**
 * Custom resource handler of the StreamToRedshift table: runs its SQL through the Redshift Data API, one
 * statement at a time, polling DescribeStatement until each finished or failed (a failure fails the
 * deployment with Redshift's message), within the function's time limit.
 *
 * What the resource owns is recorded in its physical ID: `<target>/<database>/<schema.>table#created` when
 * this resource created the table (or materialized view), `#existing` when it adopted one that was already
 * there, `#failed` when a Create failed. Only a table marked `#created` is ever dropped, and only when the
 * removal policy is destroy: a table the resource did not create survives delete and rollback.
 *
 * A change of target, database, schema or name creates the table where it now belongs and returns a new
 * physical ID; CloudFormation then deletes the old resource (dropped or kept as above). A change in place
 * adds missing columns and sets the keys; it never drops a column. While the stack rolls back an update
 * (UPDATE_ROLLBACK_IN_PROGRESS), the handler only restores what it can and answers SUCCESS, so a rollback
 * never gets stuck on a change it refused going forward.
 *
 * The AWS SDK v3 of the Lambda Node.js runtime is loaded at run time; tests inject their own API.
 */
import { answer, canWait, clientConfig, CustomResourceEvent, HandlerContext, lambdaRuntime, main, messageOf, Response, Runtime } from './custom-resource';
import {
  addColumnSql, checkTable, columnExistsSql, createSchemaSql, createTableSql, dropTableSql, dropViewSql, relationExistsSql,
  streamingIngestionSql, TableDefinition, tableChange,
} from './sql';

export interface TableProperties {
  /** Serverless workgroup name, or empty. */
  readonly WorkgroupName?: string;
  /** Provisioned cluster identifier, or empty. */
  readonly ClusterIdentifier?: string;
  readonly Database: string;
  readonly SecretArn: string;
  readonly Table: TableDefinition;
  /** 'destroy' drops the table when the resource is deleted, if it created it; anything else keeps it. */
  readonly RemovalPolicy?: string;
  /** 'streaming' creates an external schema and materialized view instead of a table. */
  readonly Ingestion?: string;
  readonly StreamName?: string;
  readonly StreamingRoleArn?: string;
}

export type TableEvent = CustomResourceEvent<TableProperties>;

/** The calls the handler makes. */
export interface TableApi {
  /** Submits one statement and returns its ID (ExecuteStatement). */
  execute(props: TableProperties, sql: string): Promise<string>;
  /** The statement's status, Redshift's error when it failed, and the rows it returned (DescribeStatement). */
  describe(statementId: string): Promise<{ status: string; error?: string; resultRows?: number }>;
  /** The stack's status (DescribeStacks), or undefined when it cannot be read. */
  stackStatus(stackId: string): Promise<string | undefined>;
}

/** The physical ID suffixes that record what the resource owns. */
export const CREATED = '#created';
export const EXISTING = '#existing';
export const FAILED = '#failed';

/**
 * Where the table lives: target, database, schema and name. No schema is the search path's first schema,
 * `public` unless changed, so no schema and `public` are the same place (a change between them is no move).
 */
export function placeOf(props: TableProperties): string {
  const target = props.WorkgroupName || props.ClusterIdentifier;
  return `${target}/${props.Database}/${props.Table.schema ?? 'public'}.${props.Table.name}`;
}

function streaming(props: TableProperties): boolean {
  return props.Ingestion === 'streaming';
}

/** What a table of this place is loaded by (a change of it cannot be made in place). */
function loaderOf(props: TableProperties): string {
  return streaming(props) ? `streaming from ${props.StreamName} as ${props.StreamingRoleArn}` : 'Firehose COPY';
}

/** Runs one statement and waits for it; returns the rows it returned. */
async function run(props: TableProperties, sql: string, context: HandlerContext, runtime: Runtime<TableApi>): Promise<number> {
  const statementId = await runtime.api.execute(props, sql);
  for (;;) {
    const { status, error, resultRows } = await runtime.api.describe(statementId);
    if (status === 'FINISHED') {
      // DescribeStatement gives -1 (or nothing) when it has no row count: never read that as "no rows", which
      // would make an existing table look new (and then droppable).
      if (resultRows === undefined || resultRows < 0) {
        throw new Error(`Redshift statement ${statementId} finished without a row count (${resultRows}): cannot tell what exists (${sql.slice(0, 200)})`);
      }
      return resultRows;
    }
    if (status === 'FAILED' || status === 'ABORTED') {
      throw new Error(`Redshift statement ${statementId} ${status.toLowerCase()}: ${error ?? 'no error message'} (${sql.slice(0, 200)})`);
    }
    if (!canWait(context, runtime.pollIntervalMs)) {
      throw new Error(`timed out waiting for Redshift statement ${statementId} (last status: ${status})`);
    }
    await runtime.sleep(runtime.pollIntervalMs);
  }
}

/** Creates the table (or view) unless it exists; returns whether this call created it. */
async function create(props: TableProperties, context: HandlerContext, runtime: Runtime<TableApi>): Promise<boolean> {
  const statements = streaming(props)
    ? streamingIngestionSql(props.Table, props.StreamName ?? '', props.StreamingRoleArn ?? '')
    : [...createSchemaSql(props.Table), createTableSql(props.Table)];
  if (await run(props, relationExistsSql(props.Table), context, runtime) > 0) {
    return false;
  }
  for (const sql of statements) {
    await run(props, sql, context, runtime);
  }
  return true;
}

/** Adds the missing columns and sets the keys of a table that stays where it is. */
async function alterInPlace(before: TableProperties, props: TableProperties, context: HandlerContext, runtime: Runtime<TableApi>,
  lenient: boolean, warnings: string[]): Promise<void> {
  const attempt = async (what: () => Promise<unknown>) => {
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
    return; // the view's columns are fixed
  }
  let change: ReturnType<typeof tableChange> = { addColumns: [], alterKeys: [] };
  await attempt(async () => { change = tableChange(before.Table, props.Table); });
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

async function rollingBack(event: TableEvent, runtime: Runtime<TableApi>): Promise<boolean> {
  const status = await runtime.api.stackStatus(event.StackId).catch(() => undefined);
  return status === 'UPDATE_ROLLBACK_IN_PROGRESS';
}

/** Answers one CloudFormation event (see the file's comment for what each request does). */
export function handle(event: TableEvent, context: HandlerContext, runtime: Runtime<TableApi>): Promise<Response> {
  const props = event.ResourceProperties;
  const place = placeOf(props);
  return answer(event, runtime.respond, `${place}${FAILED}`, async () => {
    switch (event.RequestType) {
      case 'Create': {
        const created = await create(props, context, runtime);
        return { data: { PhysicalResourceId: `${place}${created ? CREATED : EXISTING}`, Created: String(created) } };
      }
      case 'Update': {
        const before = event.OldResourceProperties ?? props;
        const lenient = await rollingBack(event, runtime);
        const current = event.PhysicalResourceId ?? '';
        // The resource already stands for this place (e.g. the rollback of a failed move): keep its ID, and
        // with it what it owns; a new ID would make CloudFormation delete this very table as "the old one".
        if (placeOf(before) !== place && !current.startsWith(`${place}#`)) {
          const created = await create(props, context, runtime);
          return { data: { PhysicalResourceId: `${place}${created ? CREATED : EXISTING}`, Created: String(created) } };
        }
        const warnings: string[] = [];
        if (!streaming(props)) {
          checkTable(props.Table);
        }
        await alterInPlace(before, props, context, runtime, lenient, warnings);
        const id = event.PhysicalResourceId ?? `${place}${EXISTING}`;
        return { data: { PhysicalResourceId: id, Created: String(id.endsWith(CREATED)), ...warnings.length > 0 ? { Warnings: warnings.join('; ').slice(0, 1000) } : {} } };
      }
      case 'Delete': {
        const id = event.PhysicalResourceId ?? '';
        // Dropped only when this resource created the table at exactly the place its properties name.
        if (props.RemovalPolicy === 'destroy' && id === `${place}${CREATED}`) {
          await run(props, streaming(props) ? dropViewSql(props.Table) : dropTableSql(props.Table), context, runtime);
        }
        return { data: { PhysicalResourceId: id } };
      }
    }
  }, true, `${place}${FAILED}`);
}

/** The handler's calls through the AWS SDK v3 of the Lambda runtime. */
export function sdkApi(): TableApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data = require('@aws-sdk/client-redshift-data');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cfn = require('@aws-sdk/client-cloudformation');
  const client = new data.RedshiftDataClient(clientConfig());
  const cloudformation = new cfn.CloudFormationClient(clientConfig());
  return {
    async execute(props, sql) {
      const out = await client.send(new data.ExecuteStatementCommand({
        ...(props.WorkgroupName ? { WorkgroupName: props.WorkgroupName } : { ClusterIdentifier: props.ClusterIdentifier }),
        Database: props.Database,
        SecretArn: props.SecretArn,
        Sql: sql,
        StatementName: 'cdk-reference-patterns-table',
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
    },
  };
}

/** The Lambda entry point: every failure, loading the SDK included, is answered FAILED. */
export async function handler(event: TableEvent, context: HandlerContext): Promise<Response | undefined> {
  // Data API statements on a table take seconds: poll every 2 seconds.
  const place = event.ResourceProperties?.Table ? placeOf(event.ResourceProperties) : event.RequestId;
  return main(event, context, () => lambdaRuntime(sdkApi(), 2_000), handle, `${place}${FAILED}`);
}
