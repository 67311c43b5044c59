/* eslint-disable import/no-extraneous-dependencies */
/**
 * Custom resource handler of the StreamToRedshift table: submits the SQL through the Redshift Data API and
 * polls DescribeStatement until the statement finished or failed (a failure fails the deployment with
 * Redshift's message), within the function's time limit. Deleting keeps the table unless the removal policy
 * is destroy. The AWS SDK v3 of the Lambda Node.js runtime is loaded at run time; tests inject their own API.
 */
import { answer, canWait, CustomResourceEvent, HandlerContext, lambdaRuntime, Response, Runtime } from './custom-resource';
import { createTableSql, dropTableSql, streamingIngestionSql, TableDefinition, updateTableSql } from './sql';

export interface TableProperties {
  /** Serverless workgroup name, or empty. */
  readonly WorkgroupName?: string;
  /** Provisioned cluster identifier, or empty. */
  readonly ClusterIdentifier?: string;
  readonly Database: string;
  readonly SecretArn: string;
  readonly Table: TableDefinition;
  /** 'destroy' drops the table when the resource is deleted; anything else keeps it. */
  readonly RemovalPolicy?: string;
  /** 'streaming' creates an external schema and materialized view instead of a table. */
  readonly Ingestion?: string;
  readonly StreamName?: string;
  readonly StreamingRoleArn?: string;
}

export type TableEvent = CustomResourceEvent<TableProperties>;

/** The Data API calls the handlers make. */
export interface DataApi {
  /** Submits statements (one transaction) and returns the statement ID. */
  execute(props: TableProperties, sqls: string[]): Promise<string>;
  /** The statement's status and, when it failed, Redshift's error. */
  describe(statementId: string): Promise<{ status: string; error?: string }>;
}

function physicalId(props: TableProperties): string {
  const target = props.WorkgroupName || props.ClusterIdentifier;
  const table = props.Table.schema ? `${props.Table.schema}.${props.Table.name}` : props.Table.name;
  return `${target}/${props.Database}/${table}`;
}

/** The statements an event needs (none for a kept table on delete). */
export function statementsFor(event: Pick<TableEvent, 'RequestType' | 'ResourceProperties' | 'OldResourceProperties'>): string[] {
  const props = event.ResourceProperties;
  const streaming = props.Ingestion === 'streaming';
  switch (event.RequestType) {
    case 'Create':
      return streaming
        ? streamingIngestionSql(props.Table, props.StreamName ?? '', props.StreamingRoleArn ?? '')
        : createTableSql(props.Table).split(';\n');
    case 'Update': {
      const before = event.OldResourceProperties?.Table;
      if (streaming) {
        return before?.name === props.Table.name ? [] : streamingIngestionSql(props.Table, props.StreamName ?? '', props.StreamingRoleArn ?? '');
      }
      return before === undefined ? createTableSql(props.Table).split(';\n') : updateTableSql(before, props.Table);
    }
    case 'Delete':
      if (props.RemovalPolicy !== 'destroy') {
        return [];
      }
      return [streaming ? `DROP MATERIALIZED VIEW IF EXISTS "${props.Table.name}"` : dropTableSql(props.Table)];
  }
}

/** Runs the statements (one transaction) and waits for them; returns the reason of a failure, or undefined. */
async function run(props: TableProperties, sqls: string[], context: HandlerContext, runtime: Runtime<DataApi>): Promise<string | undefined> {
  const statementId = await runtime.api.execute(props, sqls);
  for (;;) {
    const { status, error } = await runtime.api.describe(statementId);
    if (status === 'FINISHED') {
      return undefined;
    }
    if (status === 'FAILED' || status === 'ABORTED') {
      return `Redshift statement ${statementId} ${status.toLowerCase()}: ${error ?? 'no error message'}`;
    }
    if (!canWait(context, runtime.pollIntervalMs)) {
      return `timed out waiting for Redshift statement ${statementId} (last status: ${status})`;
    }
    await runtime.sleep(runtime.pollIntervalMs);
  }
}

/**
 * Answers one CloudFormation event: the physical ID names the target, database and table, so a renamed
 * table is a replacement (CloudFormation then deletes the old one, which is kept unless destroy).
 */
export function handle(event: TableEvent, context: HandlerContext, runtime: Runtime<DataApi>): Promise<Response> {
  const props = event.ResourceProperties;
  const id = event.RequestType === 'Delete' ? event.PhysicalResourceId ?? physicalId(props) : physicalId(props);
  return answer(event, runtime.respond, id, async () => {
    const sqls = statementsFor(event);
    const reason = sqls.length === 0 ? undefined : await run(props, sqls, context, runtime);
    return reason === undefined ? { data: { PhysicalResourceId: id } } : { reason };
  }, true);
}

/* istanbul ignore next: the AWS glue below runs only in Lambda */
function sdkDataApi(): DataApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-redshift-data');
  const client = new sdk.RedshiftDataClient({});
  return {
    async execute(props, sqls) {
      const target = {
        ...(props.WorkgroupName ? { WorkgroupName: props.WorkgroupName } : { ClusterIdentifier: props.ClusterIdentifier }),
        Database: props.Database,
        SecretArn: props.SecretArn,
      };
      const out = await client.send(new sdk.BatchExecuteStatementCommand({ ...target, Sqls: sqls, StatementName: 'cdk-reference-patterns-table' }));
      return out.Id;
    },
    async describe(statementId) {
      const out = await client.send(new sdk.DescribeStatementCommand({ Id: statementId }));
      return { status: out.Status, error: out.Error };
    },
  };
}

/* istanbul ignore next */
export async function handler(event: TableEvent, context: HandlerContext): Promise<void> {
  console.log(JSON.stringify({ RequestType: event.RequestType, Table: event.ResourceProperties.Table }));
  // Data API statements on a table take seconds: poll every 2 seconds.
  const response = await handle(event, context, lambdaRuntime(sdkDataApi(), 2_000));
  console.log(JSON.stringify({ Status: response.Status, Reason: response.Reason }));
}
