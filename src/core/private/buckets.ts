import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { fail } from './validation';

/**
 * Versioning keeps overwritten and deleted objects recoverable (cdk-nag S3BucketVersioningEnabled, NIST
 * 800-53 CP-10 and SI-12); the versions they leave behind expire after this many days, so that a bucket
 * whose objects expire does not grow without end.
 */
const NONCURRENT_VERSION_DAYS = 7;
const NONCURRENT_VERSIONS: s3.LifecycleRule = {
  id: 'ExpireNoncurrentVersions',
  noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
  expiredObjectDeleteMarker: true,
};

/**
 * A bucket for S3 server access logs: SSE-S3 (log delivery needs no key grant), versioned, private, TLS
 * only, logs kept 90 days. Object ownership is left to aws-cdk-lib: log delivery needs ACLs unless the app
 * has the @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy flag.
 */
export function accessLogsBucket(scope: Construct, id: string, removalPolicy?: RemovalPolicy): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    removalPolicy,
    lifecycleRules: [{ id: 'ExpireLogs', expiration: Duration.days(90) }, NONCURRENT_VERSIONS],
  });
}

/** Options of a private data bucket. */
export interface PrivateBucketOptions {
  /** Where its server access logs go, under `accessLogsPrefix`. */
  readonly accessLogs?: s3.IBucket;
  readonly accessLogsPrefix?: string;
  /** A customer-managed key (with a bucket key); SSE-S3 otherwise. */
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
  readonly lifecycleRules?: s3.LifecycleRule[];
}

/**
 * A data bucket as every construct here makes them: encrypted, versioned, public access blocked, TLS only,
 * owner-enforced.
 */
export function privateBucket(scope: Construct, id: string, options: PrivateBucketOptions): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: options.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: options.encryptionKey,
    bucketKeyEnabled: options.encryptionKey ? true : undefined,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: options.accessLogs,
    serverAccessLogsPrefix: options.accessLogsPrefix,
    versioned: true,
    removalPolicy: options.removalPolicy,
    lifecycleRules: [...options.lifecycleRules ?? [], NONCURRENT_VERSIONS],
  });
}

/**
 * Refuses a server access log bucket of another account or Region (when both are known at synth): S3 server
 * access logging delivers only to a bucket of the same account and Region as the bucket it logs.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
 */
export function validateAccessLogsBucket(scope: Construct, prop: string, bucket: s3.IBucket | undefined): void {
  if (bucket === undefined) {
    return;
  }
  const stack = Stack.of(scope);
  for (const [what, theirs, ours] of [['account', bucket.env.account, stack.account], ['Region', bucket.env.region, stack.region]] as const) {
    if (!Token.isUnresolved(theirs) && !Token.isUnresolved(ours) && theirs !== ours) {
      fail(scope, `${prop} must be a bucket of this stack's ${what} (${ours}): S3 server access logging delivers only to a bucket of the same account and Region, but ${bucket.node.path} is in ${what} ${theirs}`);
    }
  }
}
