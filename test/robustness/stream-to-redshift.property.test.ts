// Generator definitions read best on one line each.
/* eslint-disable @stylistic/max-len */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { checkCase, durationSeconds, mostly, numberToken, OPS_ALARM_ACTION, optional, placeholderVpc, PROPERTY_RUNS, runProperty, stringToken } from './property';
import { RedshiftIngestion, StagingCompression, StreamToRedshift } from '../../src';
import { createTestStack } from '../util';

const PROPS = ['table.name', 'table.schema', 'table.columns', 'table.distKey', 'table.sortKey', 'shardCount', 'expectedThroughput', 'retentionPeriod',
  'bufferingInterval', 'bufferingSizeMiB', 'retryDuration', 'stagingCompression', 'copyOptions', 'baseCapacity', 'batchSize', 's3Backup',
  'stagingBucket', 'ingestion', 'redshift', 'vpc', 'stream', 'streamEncryptionKey', 'encryptionKey', 'backupBucket', 'accessLogsBucket', 'alarmActions'];

/** Redshift reserved words (https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html): Firehose's COPY column list names them unquoted. */
const reservedWord = fc.constantFrom('timestamp', 'user', 'order', 'select', 'table', 'column', 'default', 'from', 'group', 'limit', 'offset', 'primary');
const identifier = fc.oneof(
  { weight: 24, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/) },
  { weight: 1, arbitrary: fc.constantFrom('Clicks', 'x; drop table y', '1abc', '') },
  { weight: 1, arbitrary: reservedWord },
);
/** A table name: an identifier, a reserved word, or a deploy-time Token. */
const tableName = fc.oneof({ weight: 12, arbitrary: identifier }, { weight: 1, arbitrary: stringToken });
/** Types at and past Redshift's bounds (https://docs.aws.amazon.com/redshift/latest/dg/c_Supported_data_types.html). */
const boundType = fc.constantFrom('DECIMAL(38,0)', 'DECIMAL(39,2)', 'DECIMAL(5,10)', 'DECIMAL(5,5)', 'CHAR(4096)', 'CHAR(5000)', 'VARCHAR(65535)', 'VARCHAR(70000)', 'VARBYTE(1024000)', 'VARBYTE(1024001)', 'DECIMAL(0)', 'CHAR(0)');
const dataType = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('BIGINT', 'INTEGER', 'VARCHAR(64)', 'VARCHAR(MAX)', 'DECIMAL(18,2)', 'TIMESTAMP', 'TIMESTAMPTZ', 'SUPER', 'BOOLEAN', 'DATE', 'double precision', 'varbyte(16)') },
  { weight: 1, arbitrary: fc.constantFrom('BLOB', 'INT); DROP TABLE x; --', '') },
  { weight: 2, arbitrary: boundType },
  { weight: 1, arbitrary: stringToken },
);

const caseArb = fc.record({
  table: fc.record({
    name: tableName,
    schema: optional(identifier),
    columns: mostly(fc.array(fc.record({ name: identifier, dataType }), { minLength: 1, maxLength: 4 }).map((cols) => cols.map((c, i) => ({ ...c, name: `${c.name}${i}` }))),
      fc.constant(undefined as unknown as Array<{ name: string; dataType: string }>)),
    // Sort keys by column index (-1: a column that does not exist); SUPER columns cannot be sort keys.
    sortKey: mostly(fc.constant(undefined), fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 1, maxLength: 2 })),
    distKey: mostly(fc.constant(undefined), identifier),
    create: optional(fc.boolean()),
    destroy: optional(fc.boolean()),
  }, { requiredKeys: ['name'] }),
  shardCount: optional(mostly(fc.integer({ min: 1, max: 20 }), fc.constantFrom(-1, 0))),
  throughput: mostly(fc.constant(undefined), fc.record({
    ingressMiBPerSecond: optional(fc.oneof({ weight: 8, arbitrary: fc.double({ min: -1, max: 50, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(Infinity, NaN, 1e9) }, { weight: 1, arbitrary: numberToken })),
    recordsPerSecond: optional(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 50_000 }) }, { weight: 1, arbitrary: fc.constantFrom(Infinity, 1e12) }, { weight: 1, arbitrary: numberToken })),
    consumers: optional(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 25 }) }, { weight: 1, arbitrary: fc.constantFrom(2.5, Infinity) }, { weight: 1, arbitrary: numberToken })),
  }, { requiredKeys: [] })),
  retentionHours: optional(mostly(fc.integer({ min: 24, max: 8760 }), fc.constantFrom(1, 23, 8761))),
  streaming: mostly(fc.constant(undefined), fc.constant(true)),
  // Whole seconds (some out of range), Tokens in seconds (passed through) or minutes, NaN, Infinity, fractions.
  bufferingInterval: optional(durationSeconds(0, 900)),
  bufferingSizeMiB: optional(mostly(fc.integer({ min: 1, max: 128 }), fc.constantFrom(0, 129))),
  retryDuration: optional(durationSeconds(0, 7200)),
  compression: mostly(fc.constant(undefined), fc.constantFrom(StagingCompression.GZIP, StagingCompression.UNCOMPRESSED, StagingCompression.SNAPPY, StagingCompression.ZIP)),
  copyOptions: mostly(fc.constant(undefined), fc.constantFrom("JSON 'auto' GZIP", "JSON 'auto'", 'CSV GZIP; DROP TABLE x', "JSON 'auto' GZIP TIMEFORMAT 'auto'")),
  baseCapacity: mostly(fc.constant(undefined), fc.oneof(fc.constantFrom(4, 8, 12, 16, 128, 512, 520, 544, 1024, 1056, 0, 2.5, Infinity), numberToken)),
  // Vpc.fromLookup's placeholder (two dummy AZs): the 3-AZ check cannot be decided on it.
  lookupVpc: mostly(fc.constant(false), fc.constant(true)),
  s3Backup: optional(fc.boolean()),
  encryptionKey: optional(fc.boolean()),
  backupBucket: optional(fc.boolean()),
  accessLogsBucket: optional(fc.boolean()),
  alarmActions: optional(fc.boolean()),
});

describe('StreamToRedshift properties', () => {
  test(`${PROPERTY_RUNS} generated pipelines synthesize cleanly or fail with an error naming a prop`, () => {
    const tally = runProperty(caseArb, (c) => checkCase((stack) => {
      const columns = c.table.columns;
      new StreamToRedshift(stack, 'Clicks', {
        table: {
          name: c.table.name,
          schema: c.table.schema,
          columns,
          sortKey: c.table.sortKey?.map((i) => (i < 0 || columns === undefined ? 'missing' : columns[i % columns.length].name)),
          distKey: c.table.distKey,
          create: c.table.create,
          removalPolicy: c.table.destroy ? RemovalPolicy.DESTROY : undefined,
        },
        shardCount: c.shardCount,
        expectedThroughput: c.throughput,
        retentionPeriod: c.retentionHours === undefined ? undefined : Duration.hours(c.retentionHours),
        ingestion: c.streaming ? RedshiftIngestion.STREAMING : undefined,
        bufferingInterval: c.bufferingInterval,
        bufferingSizeMiB: c.bufferingSizeMiB,
        retryDuration: c.retryDuration,
        stagingCompression: c.compression,
        copyOptions: c.copyOptions,
        baseCapacity: c.baseCapacity,
        vpc: c.lookupVpc ? placeholderVpc(stack, 'Vpc', 'vpc-0123456789abcdef0') : undefined,
        s3Backup: c.s3Backup,
        encryptionKey: c.encryptionKey ? new kms.Key(stack, 'DataKey', { enableKeyRotation: true }) : undefined,
        backupBucket: c.backupBucket ? s3.Bucket.fromBucketName(stack, 'Backup', 'replicated-backup') : undefined,
        accessLogsBucket: c.accessLogsBucket ? s3.Bucket.fromBucketName(stack, 'LogArchive', 'central-log-archive') : undefined,
        alarmActions: c.alarmActions ? [OPS_ALARM_ACTION] : undefined,
      });
    }, () => createTestStack(), PROPS));
    expect(tally.synthesized).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});
