/* eslint-disable import/no-extraneous-dependencies */
/**
 * Provider-framework handlers of the StreamToRedshift table: `onEvent` submits the SQL through the Redshift
 * Data API, `isComplete` polls DescribeStatement until the statement finished or failed (a failure fails
 * the deployment with Redshift's message). Deleting keeps the table unless the removal policy is destroy.
 * The AWS SDK v3 of the Lambda Node.js runtime is loaded at run time; tests inject their own client.
 */
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

export interface TableEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: TableProperties;
  readonly OldResourceProperties?: TableProperties;
  readonly Data?: { StatementId?: string };
}

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
export function statementsFor(event: TableEvent): string[] {
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

export async function onEvent(event: TableEvent, api: DataApi): Promise<{ PhysicalResourceId: string; Data: { StatementId?: string } }> {
  const sqls = statementsFor(event);
  const PhysicalResourceId = event.RequestType === 'Create' || event.RequestType === 'Update'
    ? physicalId(event.ResourceProperties)
    : event.PhysicalResourceId ?? physicalId(event.ResourceProperties);
  if (sqls.length === 0) {
    return { PhysicalResourceId, Data: {} };
  }
  const statementId = await api.execute(event.ResourceProperties, sqls);
  return { PhysicalResourceId, Data: { StatementId: statementId } };
}

export async function isComplete(event: TableEvent, api: DataApi): Promise<{ IsComplete: boolean }> {
  const statementId = event.Data?.StatementId;
  if (!statementId) {
    return { IsComplete: true };
  }
  const { status, error } = await api.describe(statementId);
  if (status === 'FINISHED') {
    return { IsComplete: true };
  }
  if (status === 'FAILED' || status === 'ABORTED') {
    throw new Error(`Redshift statement ${statementId} ${status.toLowerCase()}: ${error ?? 'no error message'}`);
  }
  return { IsComplete: false };
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
export async function onEventHandler(event: TableEvent) {
  console.log(JSON.stringify({ RequestType: event.RequestType, Table: event.ResourceProperties.Table }));
  return onEvent(event, sdkDataApi());
}

/* istanbul ignore next */
export async function isCompleteHandler(event: TableEvent) {
  return isComplete(event, sdkDataApi());
}
