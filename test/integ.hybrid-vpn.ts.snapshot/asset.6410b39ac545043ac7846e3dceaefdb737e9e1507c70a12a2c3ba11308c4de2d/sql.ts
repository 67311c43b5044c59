/**
 * Redshift DDL for the StreamToRedshift table, built only from allow-listed identifiers and types so that
 * no SQL can be injected through props. Used by the construct (to fail at synth) and again by the handler
 * (defence in depth: the custom resource properties could be edited in the template).
 */

export interface ColumnDefinition {
  readonly name: string;
  readonly dataType: string;
}

export interface TableDefinition {
  readonly schema?: string;
  readonly name: string;
  readonly columns: ColumnDefinition[];
  readonly distKey?: string;
  readonly sortKey?: string[];
}

/** Lower-case unquoted identifiers: a letter or underscore, then letters, digits, underscores; 1-127 bytes. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,126}$/;

/** Redshift data types this library accepts, with their parameters. */
const TYPES: RegExp[] = [
  /^(SMALLINT|INT2|INTEGER|INT|INT4|BIGINT|INT8)$/,
  /^(DECIMAL|NUMERIC)(\((\d{1,2})(,\s?(\d{1,2}))?\))?$/,
  /^(REAL|FLOAT4|DOUBLE PRECISION|FLOAT8|FLOAT)$/,
  /^(BOOLEAN|BOOL)$/,
  /^(CHAR|CHARACTER|NCHAR|BPCHAR)(\((\d{1,4})\))?$/,
  /^(VARCHAR|CHARACTER VARYING|NVARCHAR|TEXT)(\((\d{1,5}|MAX)\))?$/,
  /^(DATE|TIME|TIMETZ|TIMESTAMP|TIMESTAMPTZ|TIME WITHOUT TIME ZONE|TIME WITH TIME ZONE|TIMESTAMP WITHOUT TIME ZONE|TIMESTAMP WITH TIME ZONE)$/,
  /^(SUPER|GEOMETRY|GEOGRAPHY|HLLSKETCH)$/,
  /^(VARBYTE|VARBINARY|BINARY VARYING)(\((\d{1,7})\))?$/,
];

/** The problems of a table definition, each naming the prop and the value; empty when it is valid. */
export function tableProblems(table: TableDefinition): string[] {
  const problems: string[] = [];
  const identifier = (prop: string, value: string) => {
    if (!IDENTIFIER.test(value)) {
      problems.push(`${prop} must be a lower-case Redshift identifier (a letter or underscore, then letters, digits or underscores; at most 127), but '${value}' was provided`);
    }
  };
  if (table.schema !== undefined) {
    identifier('table.schema', table.schema);
  }
  identifier('table.name', table.name);
  if (table.columns.length === 0 || table.columns.length > 1600) {
    problems.push(`table.columns must hold 1 to 1600 columns, but ${table.columns.length} were provided`);
  }
  const names = new Set<string>();
  table.columns.forEach((column, i) => {
    identifier(`table.columns[${i}].name`, column.name);
    if (names.has(column.name)) {
      problems.push(`table.columns names must be unique, but '${column.name}' was provided twice`);
    }
    names.add(column.name);
    const type = column.dataType.trim().toUpperCase();
    if (!TYPES.some((t) => t.test(type))) {
      problems.push(`table.columns[${i}].dataType must be a Redshift type such as VARCHAR(64), BIGINT, DECIMAL(18,2), TIMESTAMP or SUPER, but '${column.dataType}' was provided`);
    }
    const varchar = /^(VARCHAR|CHARACTER VARYING|NVARCHAR)\((\d+)\)$/.exec(type);
    if (varchar && (Number(varchar[2]) < 1 || Number(varchar[2]) > 65535)) {
      problems.push(`table.columns[${i}].dataType VARCHAR length must be 1-65535 or MAX, but '${column.dataType}' was provided`);
    }
  });
  if (table.distKey !== undefined && !names.has(table.distKey)) {
    problems.push(`table.distKey must name one of the columns (${[...names].join(', ')}), but '${table.distKey}' was provided`);
  }
  for (const key of table.sortKey ?? []) {
    if (!names.has(key)) {
      problems.push(`table.sortKey must name columns of the table (${[...names].join(', ')}), but '${key}' was provided`);
    }
  }
  if (table.sortKey !== undefined && table.sortKey.length > 400) {
    problems.push(`table.sortKey may name at most 400 columns, but ${table.sortKey.length} were provided`);
  }
  return problems;
}

/** The table's qualified, quoted name (identifiers are validated, so quoting is for keywords only). */
export function qualifiedName(table: TableDefinition): string {
  return table.schema ? `"${table.schema}"."${table.name}"` : `"${table.name}"`;
}

function columnSql(column: ColumnDefinition): string {
  return `"${column.name}" ${column.dataType.trim().toUpperCase()}`;
}

/** CREATE TABLE IF NOT EXISTS for the definition. */
export function createTableSql(table: TableDefinition): string {
  const problems = tableProblems(table);
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
  const columns = table.columns.map(columnSql).join(', ');
  const dist = table.distKey ? ` DISTSTYLE KEY DISTKEY("${table.distKey}")` : '';
  const sort = table.sortKey && table.sortKey.length > 0 ? ` COMPOUND SORTKEY(${table.sortKey.map((k) => `"${k}"`).join(', ')})` : '';
  const schema = table.schema ? [`CREATE SCHEMA IF NOT EXISTS "${table.schema}"`] : [];
  return [...schema, `CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (${columns})${dist}${sort}`].join(';\n');
}

/**
 * The statements that move an existing table from `before` to `after`: a new table when the name changed,
 * ADD COLUMN for new columns. Dropped or retyped columns are refused: that migration loses data and is
 * left to the user.
 */
export function updateTableSql(before: TableDefinition, after: TableDefinition): string[] {
  if (before.name !== after.name || before.schema !== after.schema) {
    return [createTableSql(after)];
  }
  const problems = tableProblems(after);
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
  const old = new Map(before.columns.map((c) => [c.name, c.dataType.trim().toUpperCase()]));
  const changed = after.columns.filter((c) => old.has(c.name) && old.get(c.name) !== c.dataType.trim().toUpperCase());
  const dropped = before.columns.filter((c) => !after.columns.some((a) => a.name === c.name));
  if (changed.length > 0 || dropped.length > 0) {
    const what = [
      ...changed.map((c) => `${c.name} from ${old.get(c.name)} to ${c.dataType.trim().toUpperCase()}`),
      ...dropped.map((c) => `${c.name} dropped`),
    ].join(', ');
    throw new Error(`table ${qualifiedName(after)} cannot be changed in place (${what}): migrate it yourself or give the table a new name`);
  }
  return after.columns
    .filter((c) => !old.has(c.name))
    .map((c) => `ALTER TABLE ${qualifiedName(after)} ADD COLUMN ${columnSql(c)}`);
}

/** DROP TABLE IF EXISTS. */
export function dropTableSql(table: TableDefinition): string {
  return `DROP TABLE IF EXISTS ${qualifiedName(table)}`;
}

/** Streaming ingestion: an external schema over Kinesis and an auto-refreshing materialized view. */
export function streamingIngestionSql(table: TableDefinition, streamName: string, roleArn: string): string[] {
  const problems = tableProblems({ ...table, columns: table.columns.length > 0 ? table.columns : [{ name: 'payload', dataType: 'SUPER' }] });
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(streamName) || !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(roleArn)) {
    throw new Error(`invalid stream name '${streamName}' or role ARN '${roleArn}'`);
  }
  const schema = `${table.name}_kinesis`;
  return [
    `CREATE EXTERNAL SCHEMA IF NOT EXISTS "${schema}" FROM KINESIS IAM_ROLE '${roleArn}'`,
    `CREATE MATERIALIZED VIEW ${qualifiedName(table)} AUTO REFRESH YES AS SELECT approximate_arrival_timestamp, partition_key, shard_id, sequence_number, JSON_PARSE(kinesis_data) AS payload FROM "${schema}"."${streamName}" WHERE CAN_JSON_PARSE(kinesis_data)`,
  ];
}
