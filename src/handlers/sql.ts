/**
 * Redshift DDL for the StreamToRedshift table, built only from allow-listed identifiers and types so that
 * no SQL can be injected through props. Used by the construct (to fail at synth) and again by the handler
 * (defence in depth: the custom resource properties could be edited in the template). This file is bundled
 * into the table handler: it must not import aws-cdk-lib.
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

/**
 * Lower-case unquoted identifiers: a letter or underscore, then letters, digits, underscores; 1-127 bytes.
 * Redshift folds unquoted identifiers to lower case (https://docs.aws.amazon.com/redshift/latest/dg/r_names.html).
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,126}$/;
/** Redshift's identifier limit, in bytes. */
export const MAX_IDENTIFIER_BYTES = 127;
/** The suffix of the external schema that maps the stream (STREAMING ingestion). */
export const STREAM_SCHEMA_SUFFIX = '_kinesis';
/** Columns per table (https://docs.aws.amazon.com/redshift/latest/dg/amazon-redshift-limits.html). */
const MAX_COLUMNS = 1600;
/** Sort key columns per table. */
const MAX_SORT_KEY_COLUMNS = 400;
/** Firehose's CopyCommand.DataTableColumns is at most 204,800 characters (the delivery stream API). */
export const MAX_COPY_COLUMNS_LENGTH = 204_800;

/**
 * Redshift reserved words (https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html, read 2026-11-28).
 * The DDL quotes every identifier, but Firehose puts the table and column names into its COPY command as
 * given, unquoted: a reserved word there fails every load, so reserved words are refused.
 */
export const RESERVED_WORDS = new Set(`AES128 AES256 ALL ALLOWOVERWRITE ANALYSE ANALYZE AND ANY ARRAY AS ASC AUTHORIZATION AZ64
BACKUP BETWEEN BINARY BLANKSASNULL BOTH BYTEDICT BZIP2 CASE CAST CHECK COLLATE COLUMN CONSTRAINT CREATE CREDENTIALS CROSS
CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURRENT_USER_ID DEFAULT DEFERRABLE DEFLATE DEFRAG DELTA DELTA32K
DESC DISABLE DISTINCT DO ELSE EMPTYASNULL ENABLE ENCODE ENCRYPT ENCRYPTION END EXCEPT EXPLICIT FALSE FOR FOREIGN FREEZE
FROM FULL GLOBALDICT256 GLOBALDICT64K GRANT GROUP GZIP HAVING IDENTITY IGNORE ILIKE IN INITIALLY INNER INTERSECT INTERVAL
INTO IS ISNULL JOIN LEADING LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP LUN LUNS LZO LZOP MINUS MOSTLY16 MOSTLY32 MOSTLY8
NATURAL NEW NOT NOTNULL NULL NULLS OFF OFFLINE OFFSET OID OLD ON ONLY OPEN OR ORDER OUTER OVERLAPS PARALLEL PARTITION
PERCENT PERMISSIONS PIVOT PLACING PRIMARY RAW READRATIO RECOVER REFERENCES REJECTLOG RESORT RESPECT RESTORE RIGHT SELECT
SESSION_USER SIMILAR SNAPSHOT SOME SYSDATE SYSTEM TABLE TAG TDES TEXT255 TEXT32K THEN TIMESTAMP TO TOP TRAILING TRUE
TRUNCATECOLUMNS UNION UNIQUE UNNEST UNPIVOT USER USING VERBOSE WALLET WHEN WHERE WITH WITHOUT`.split(/\s+/).map((w) => w.toLowerCase()));

/** Redshift data types this library accepts, with their parameters. */
const TYPES: RegExp[] = [
  /^(SMALLINT|INT2|INTEGER|INT|INT4|BIGINT|INT8)$/,
  /^(DECIMAL|NUMERIC)(\((\d{1,3})(,\s?(\d{1,3}))?\))?$/,
  /^(REAL|FLOAT4|DOUBLE PRECISION|FLOAT8|FLOAT)$/,
  /^(BOOLEAN|BOOL)$/,
  /^(CHAR|CHARACTER|NCHAR|BPCHAR)(\((\d{1,5})\))?$/,
  /^(VARCHAR|CHARACTER VARYING|NVARCHAR|TEXT)(\((\d{1,6}|MAX)\))?$/,
  /^(DATE|TIME|TIMETZ|TIMESTAMP|TIMESTAMPTZ|TIME WITHOUT TIME ZONE|TIME WITH TIME ZONE|TIMESTAMP WITHOUT TIME ZONE|TIMESTAMP WITH TIME ZONE)$/,
  /^(SUPER|GEOMETRY|GEOGRAPHY|HLLSKETCH)$/,
  /^(VARBYTE|VARBINARY|BINARY VARYING)(\((\d{1,8})\))?$/,
];

/**
 * Size limits of the parameterised types (https://docs.aws.amazon.com/redshift/latest/dg/c_Supported_data_types.html):
 * DECIMAL precision 1-38 and scale 0-precision, CHAR 1-4096 bytes, VARCHAR 1-65535 bytes, VARBYTE 1-1024000 bytes.
 */
function typeSizeProblem(type: string): string | undefined {
  const decimal = /^(?:DECIMAL|NUMERIC)\((\d+)(?:,\s?(\d+))?\)$/.exec(type);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = decimal[2] === undefined ? 0 : Number(decimal[2]);
    if (precision < 1 || precision > 38) {
      return 'DECIMAL precision must be 1-38';
    }
    if (scale > precision) {
      return 'DECIMAL scale must not exceed its precision';
    }
  }
  const sized: Array<[RegExp, number, string]> = [
    [/^(?:CHAR|CHARACTER|NCHAR|BPCHAR)\((\d+)\)$/, 4096, 'CHAR length must be 1-4096'],
    [/^(?:VARCHAR|CHARACTER VARYING|NVARCHAR|TEXT)\((\d+)\)$/, 65535, 'VARCHAR length must be 1-65535 or MAX'],
    [/^(?:VARBYTE|VARBINARY|BINARY VARYING)\((\d+)\)$/, 1_024_000, 'VARBYTE length must be 1-1024000'],
  ];
  for (const [pattern, max, message] of sized) {
    const match = pattern.exec(type);
    if (match && (Number(match[1]) < 1 || Number(match[1]) > max)) {
      return message;
    }
  }
  return undefined;
}

/**
 * Types that cannot be a sort or distribution key: SUPER (https://docs.aws.amazon.com/redshift/latest/dg/limitations-super.html),
 * GEOMETRY and GEOGRAPHY (https://docs.aws.amazon.com/redshift/latest/dg/spatial-limitations.html) and HLLSKETCH
 * (https://docs.aws.amazon.com/redshift/latest/dg/hyperloglog-functions-limitations.html).
 */
const UNKEYABLE = /^(SUPER|GEOMETRY|GEOGRAPHY|HLLSKETCH)$/;

/** A column's type as written into the DDL. */
export function normalizedType(dataType: string): string {
  return dataType.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** Options of the checks that depend on how the table is loaded. */
export interface TableCheckOptions {
  /** STREAMING: the external schema `<name>_kinesis` must fit Redshift's identifier limit too. */
  readonly streaming?: boolean;
}

/** The problems of a table definition, each naming the prop and the value; empty when it is valid. */
export function tableProblems(table: TableDefinition, options: TableCheckOptions = {}): string[] {
  const problems: string[] = [];
  const identifier = (prop: string, value: string) => {
    if (!IDENTIFIER.test(value)) {
      problems.push(`${prop} must be a lower-case Redshift identifier (a letter or underscore, then letters, digits or underscores; at most 127), but '${value}' was provided`);
    } else if (RESERVED_WORDS.has(value)) {
      problems.push(`${prop} must not be a Redshift reserved word (Firehose's COPY names it unquoted; see https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html), but '${value}' was provided`);
    }
  };
  if (table.schema !== undefined) {
    identifier('table.schema', table.schema);
  }
  identifier('table.name', table.name);
  if (options.streaming && table.name.length + STREAM_SCHEMA_SUFFIX.length > MAX_IDENTIFIER_BYTES) {
    problems.push(`table.name must be at most ${MAX_IDENTIFIER_BYTES - STREAM_SCHEMA_SUFFIX.length} characters with STREAMING ingestion (the external schema '<name>${STREAM_SCHEMA_SUFFIX}' must fit Redshift's ${MAX_IDENTIFIER_BYTES}-byte identifiers), but '${table.name}' has ${table.name.length}`);
  }
  if (table.columns.length === 0 || table.columns.length > MAX_COLUMNS) {
    problems.push(`table.columns must hold 1 to ${MAX_COLUMNS} columns, but ${table.columns.length} were provided`);
  }
  const types = new Map<string, string>();
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
    if (size !== undefined) {
      problems.push(`table.columns[${i}].dataType ${size}, but '${column.dataType}' was provided`);
    }
  });
  const names = [...types.keys()];
  const key = (prop: string, column: string) => {
    if (!types.has(column)) {
      problems.push(`${prop} must name ${prop === 'table.distKey' ? 'one of the columns' : 'columns of the table'} (${names.join(', ')}), but '${column}' was provided`);
    } else if (UNKEYABLE.test(types.get(column)!)) {
      problems.push(`${prop} must not name a ${types.get(column)} column (Redshift cannot sort or distribute on it), but '${column}' was provided`);
    }
  };
  if (table.distKey !== undefined) {
    key('table.distKey', table.distKey);
  }
  for (const column of table.sortKey ?? []) {
    key('table.sortKey', column);
  }
  if (table.sortKey !== undefined && table.sortKey.length > MAX_SORT_KEY_COLUMNS) {
    problems.push(`table.sortKey may name at most ${MAX_SORT_KEY_COLUMNS} columns, but ${table.sortKey.length} were provided`);
  }
  const copyColumns = copyColumnList(table);
  if (copyColumns.length > MAX_COPY_COLUMNS_LENGTH) {
    problems.push(`table.columns names must fit Firehose's COPY column list of ${MAX_COPY_COLUMNS_LENGTH} characters, but they take ${copyColumns.length}`);
  }
  return problems;
}

/** Throws the problems of a definition, when it has any. */
export function checkTable(table: TableDefinition, options: TableCheckOptions = {}): void {
  const problems = tableProblems(table, options);
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
}

/** The column list Firehose's COPY names (comma-separated, in the table's order). */
export function copyColumnList(table: TableDefinition): string {
  return table.columns.map((c) => c.name).join(',');
}

/** The table's qualified, quoted name (identifiers are validated, so quoting is for safety only). */
export function qualifiedName(table: Pick<TableDefinition, 'schema' | 'name'>): string {
  return table.schema ? `"${table.schema}"."${table.name}"` : `"${table.name}"`;
}

function columnSql(column: ColumnDefinition): string {
  return `"${column.name}" ${normalizedType(column.dataType)}`;
}

/** CREATE SCHEMA IF NOT EXISTS, when the table names a schema. */
export function createSchemaSql(table: Pick<TableDefinition, 'schema'>): string[] {
  return table.schema ? [`CREATE SCHEMA IF NOT EXISTS "${table.schema}"`] : [];
}

/** CREATE TABLE IF NOT EXISTS for the definition. */
export function createTableSql(table: TableDefinition): string {
  checkTable(table);
  const columns = table.columns.map(columnSql).join(', ');
  const dist = table.distKey ? ` DISTSTYLE KEY DISTKEY("${table.distKey}")` : '';
  const sort = table.sortKey && table.sortKey.length > 0 ? ` COMPOUND SORTKEY(${table.sortKey.map((k) => `"${k}"`).join(', ')})` : '';
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (${columns})${dist}${sort}`;
}

/** A string literal for a validated identifier (letters, digits and underscores only). */
function literal(identifierValue: string): string {
  if (!IDENTIFIER.test(identifierValue)) {
    throw new Error(`'${identifierValue}' is not a lower-case Redshift identifier`);
  }
  return `'${identifierValue}'`;
}

/**
 * A query returning one row when the relation (table, view or materialized view) exists: in `schema`, or in
 * the schema an unqualified CREATE would use (the first existing schema of the search path). pg_class and
 * pg_namespace are catalog tables of the leader node, readable by every user.
 */
export function relationExistsSql(table: Pick<TableDefinition, 'schema' | 'name'>): string {
  const schema = table.schema ? literal(table.schema) : 'current_schema()';
  // relkind: r table, v view, m materialized view (not indexes, sequences or composite types).
  return 'SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace '
    + `WHERE n.nspname = ${schema} AND c.relname = ${literal(table.name)} AND c.relkind IN ('r', 'v', 'm')`;
}

/** A query returning one row when the table has the column. */
export function columnExistsSql(table: Pick<TableDefinition, 'schema' | 'name'>, column: string): string {
  const schema = table.schema ? literal(table.schema) : 'current_schema()';
  return 'SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid '
    + 'JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace '
    + `WHERE n.nspname = ${schema} AND c.relname = ${literal(table.name)} AND a.attname = ${literal(column)} AND a.attnum > 0 AND NOT a.attisdropped`;
}

/** ALTER TABLE ... ADD COLUMN. */
export function addColumnSql(table: TableDefinition, column: ColumnDefinition): string {
  return `ALTER TABLE ${qualifiedName(table)} ADD COLUMN ${columnSql(column)}`;
}

/**
 * What an update of the table in place changes, from the definition before to the one after: columns to
 * add (when missing), and the distribution and sort keys to set. Columns left out of the new definition stay
 * in the table (dropping them would lose data; Firehose's COPY no longer names them, so they load NULL).
 * Retyping a column is refused: Redshift changes the type of a VARCHAR's length at most, and a migration
 * that loses data is left to the user.
 */
export interface TableChange {
  readonly addColumns: ColumnDefinition[];
  /** ALTER statements for the keys (each runs on its own: they cannot run in a transaction block). */
  readonly alterKeys: string[];
}

export function tableChange(before: TableDefinition, after: TableDefinition): TableChange {
  checkTable(after);
  const old = new Map(before.columns.map((c) => [c.name, normalizedType(c.dataType)]));
  const changed = after.columns.filter((c) => old.has(c.name) && old.get(c.name) !== normalizedType(c.dataType));
  if (changed.length > 0) {
    const what = changed.map((c) => `${c.name} from ${old.get(c.name)} to ${normalizedType(c.dataType)}`).join(', ');
    throw new Error(`table ${qualifiedName(after)} cannot be changed in place (${what}): migrate it yourself or give the table a new name`);
  }
  const name = qualifiedName(after);
  const alterKeys: string[] = [];
  // https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html: ALTER DISTKEY / DISTSTYLE / SORTKEY.
  if ((before.distKey ?? '') !== (after.distKey ?? '')) {
    alterKeys.push(after.distKey ? `ALTER TABLE ${name} ALTER DISTSTYLE KEY DISTKEY "${after.distKey}"` : `ALTER TABLE ${name} ALTER DISTSTYLE AUTO`);
  }
  const sortBefore = (before.sortKey ?? []).join(',');
  const sortAfter = (after.sortKey ?? []).join(',');
  if (sortBefore !== sortAfter) {
    alterKeys.push(after.sortKey && after.sortKey.length > 0
      ? `ALTER TABLE ${name} ALTER COMPOUND SORTKEY (${after.sortKey.map((k) => `"${k}"`).join(', ')})`
      : `ALTER TABLE ${name} ALTER SORTKEY AUTO`);
  }
  return { addColumns: after.columns.filter((c) => !old.has(c.name)), alterKeys };
}

/** DROP TABLE IF EXISTS. */
export function dropTableSql(table: Pick<TableDefinition, 'schema' | 'name'>): string {
  return `DROP TABLE IF EXISTS ${qualifiedName(table)}`;
}

/** DROP MATERIALIZED VIEW IF EXISTS. */
export function dropViewSql(table: Pick<TableDefinition, 'schema' | 'name'>): string {
  return `DROP MATERIALIZED VIEW IF EXISTS ${qualifiedName(table)}`;
}

/** Why a stream name cannot be read by streaming ingestion, or undefined. */
export function streamNameProblem(streamName: string): string | undefined {
  // Kinesis names take 128 characters, Redshift identifiers 127 bytes: the view names the stream.
  if (!/^[a-zA-Z0-9_.-]{1,127}$/.test(streamName)) {
    return `'${streamName}' is not a Kinesis stream name`;
  }
  // Redshift folds identifiers to lower case, quoted ones too, unless enable_case_sensitive_identifier is on
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_enable_case_sensitive_identifier.html); Kinesis stream
  // names are case sensitive, so a name with upper-case letters would not be found.
  if (/[A-Z]/.test(streamName)) {
    return `the stream name '${streamName}' has upper-case letters, which Redshift folds to lower case (enable_case_sensitive_identifier is off): streaming ingestion would not find the stream; use a stream with a lower-case name`;
  }
  return undefined;
}

/**
 * Streaming ingestion: the external schema over Kinesis and an auto-refreshing materialized view reading the
 * stream (https://docs.aws.amazon.com/redshift/latest/dg/materialized-view-streaming-ingestion-getting-started.html).
 * The table's schema, when given, is created first. Each statement runs on its own.
 */
export function streamingIngestionSql(table: TableDefinition, streamName: string, roleArn: string): string[] {
  checkTable({ ...table, columns: table.columns.length > 0 ? table.columns : [{ name: 'payload', dataType: 'SUPER' }] }, { streaming: true });
  const streamProblem = streamNameProblem(streamName);
  if (streamProblem !== undefined) {
    throw new Error(streamProblem);
  }
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(roleArn)) {
    throw new Error(`'${roleArn}' is not an IAM role ARN`);
  }
  const external = `${table.name}${STREAM_SCHEMA_SUFFIX}`;
  return [
    ...createSchemaSql(table),
    `CREATE EXTERNAL SCHEMA IF NOT EXISTS "${external}" FROM KINESIS IAM_ROLE '${roleArn}'`,
    `CREATE MATERIALIZED VIEW ${qualifiedName(table)} AUTO REFRESH YES AS SELECT approximate_arrival_timestamp, partition_key, shard_id, sequence_number, JSON_PARSE(kinesis_data) AS payload FROM "${external}"."${streamName}" WHERE CAN_JSON_PARSE(kinesis_data)`,
  ];
}
