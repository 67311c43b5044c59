// Generator definitions read best on one line each.
/* eslint-disable @stylistic/max-len */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { checkCase, mostly, OPS_ALARM_ACTION, optional, PROPERTY_RUNS, runProperty } from './property';
import { RedshiftIngestion, StagingCompression, StreamToRedshift } from '../../src';
import { createTestStack } from '../util';

const PROPS = ['table.name', 'table.schema', 'table.columns', 'table.distKey', 'table.sortKey', 'shardCount', 'expectedThroughput', 'retentionPeriod',
  'bufferingInterval', 'bufferingSizeMiB', 'retryDuration', 'stagingCompression', 'copyOptions', 'baseCapacity', 'batchSize', 's3Backup',
  'stagingBucket', 'ingestion', 'redshift', 'vpc', 'stream', 'streamEncryptionKey', 'encryptionKey', 'backupBucket', 'accessLogsBucket', 'alarmActions'];

const identifier = mostly(fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/), fc.constantFrom('Clicks', 'x; drop table y', '1abc', ''));
const dataType = mostly(
  fc.constantFrom('BIGINT', 'INTEGER', 'VARCHAR(64)', 'VARCHAR(MAX)', 'DECIMAL(18,2)', 'TIMESTAMP', 'TIMESTAMPTZ', 'SUPER', 'BOOLEAN', 'DATE', 'double precision', 'varbyte(16)'),
  fc.constantFrom('VARCHAR(70000)', 'BLOB', 'INT); DROP TABLE x; --', ''),
);

const caseArb = fc.record({
  table: fc.record({
    name: identifier,
    schema: optional(identifier),
    columns: mostly(fc.array(fc.record({ name: identifier, dataType }), { minLength: 1, maxLength: 4 }).map((cols) => cols.map((c, i) => ({ ...c, name: `${c.name}${i}` }))),
      fc.constant(undefined as unknown as Array<{ name: string; dataType: string }>)),
    sortKey: fc.constant(undefined),
    distKey: mostly(fc.constant(undefined), identifier),
    create: optional(fc.boolean()),
    destroy: optional(fc.boolean()),
  }, { requiredKeys: ['name'] }),
  shardCount: optional(mostly(fc.integer({ min: 1, max: 20 }), fc.constantFrom(-1, 0))),
  throughput: mostly(fc.constant(undefined), fc.record({ ingressMiBPerSecond: optional(fc.double({ min: -1, max: 50, noNaN: true })), recordsPerSecond: optional(fc.integer({ min: 0, max: 50_000 })), consumers: optional(fc.integer({ min: 0, max: 25 })) }, { requiredKeys: [] })),
  retentionHours: optional(mostly(fc.integer({ min: 24, max: 8760 }), fc.constantFrom(1, 23, 8761))),
  streaming: mostly(fc.constant(undefined), fc.constant(true)),
  bufferingInterval: optional(mostly(fc.integer({ min: 0, max: 900 }), fc.constantFrom(901, 1000))),
  bufferingSizeMiB: optional(mostly(fc.integer({ min: 1, max: 128 }), fc.constantFrom(0, 129))),
  retrySeconds: optional(mostly(fc.integer({ min: 0, max: 7200 }), fc.constant(7201))),
  compression: mostly(fc.constant(undefined), fc.constantFrom(StagingCompression.GZIP, StagingCompression.UNCOMPRESSED, StagingCompression.SNAPPY, StagingCompression.ZIP)),
  copyOptions: mostly(fc.constant(undefined), fc.constantFrom("JSON 'auto' GZIP", "JSON 'auto'", 'CSV GZIP; DROP TABLE x', "JSON 'auto' GZIP TIMEFORMAT 'auto'")),
  baseCapacity: mostly(fc.constant(undefined), fc.constantFrom(4, 8, 12, 16, 128, 520)),
  s3Backup: optional(fc.boolean()),
  encryptionKey: optional(fc.boolean()),
  backupBucket: optional(fc.boolean()),
  accessLogsBucket: optional(fc.boolean()),
  alarmActions: optional(fc.boolean()),
});

describe('StreamToRedshift properties', () => {
  test(`${PROPERTY_RUNS} generated pipelines synthesize cleanly or fail with an error naming a prop`, () => {
    const tally = runProperty(caseArb, (c) => checkCase((stack) => {
      new StreamToRedshift(stack, 'Clicks', {
        table: {
          name: c.table.name,
          schema: c.table.schema,
          columns: c.table.columns,
          sortKey: c.table.sortKey,
          distKey: c.table.distKey,
          create: c.table.create,
          removalPolicy: c.table.destroy ? RemovalPolicy.DESTROY : undefined,
        },
        shardCount: c.shardCount,
        expectedThroughput: c.throughput,
        retentionPeriod: c.retentionHours === undefined ? undefined : Duration.hours(c.retentionHours),
        ingestion: c.streaming ? RedshiftIngestion.STREAMING : undefined,
        bufferingInterval: c.bufferingInterval === undefined ? undefined : Duration.seconds(c.bufferingInterval),
        bufferingSizeMiB: c.bufferingSizeMiB,
        retryDuration: c.retrySeconds === undefined ? undefined : Duration.seconds(c.retrySeconds),
        stagingCompression: c.compression,
        copyOptions: c.copyOptions,
        baseCapacity: c.baseCapacity,
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
