import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeRules, CONFIG_PACKS, inPacks } from '../../core/private/acknowledge';
import { privateBucket, validateAccessLogsBucket } from '../../core/private/buckets';

/** How the site's distribution is built. */
export interface WebsiteOptions {
  /** The user's log archive, else a logs bucket of the construct. */
  readonly accessLogsBucket?: s3.IBucket;
  readonly domainNames?: string[];
  readonly certificate?: acm.ICertificate;
  /** A CLOUDFRONT-scope web ACL ARN. */
  readonly webAclArn?: string;
  /** The user's cache policy for the API behaviour. */
  readonly apiCachePolicy?: cloudfront.ICachePolicy;
  /** Whether API callers send an Authorization header CloudFront must forward (Cognito). */
  readonly authorizationHeader: boolean;
  /** The API the distribution also serves, under `apiPathPattern`. */
  readonly api?: apigateway.RestApi;
  readonly apiPathPattern?: string;
}

/**
 * The site's bucket: private (no website hosting, public access blocked), TLS only, SSE-S3, versioned,
 * access-logged under `s3/`, retained on stack deletion.
 */
export function websiteBucket(scope: Construct, accessLogsBucket: s3.IBucket | undefined): s3.Bucket {
  const bucket = privateBucket(scope, 'WebsiteBucket', { accessLogs: websiteLogs(scope, accessLogsBucket), accessLogsPrefix: 's3/', removalPolicy: RemovalPolicy.RETAIN });
  acknowledgeRules(bucket.node.defaultChild as s3.CfnBucket, ...inPacks('S3DefaultEncryptionKMS', CONFIG_PACKS,
    'The bucket holds the static site CloudFront serves to any viewer: SSE-S3 encrypts it at rest. A customer managed key would add no confidentiality and would need CloudFront in its key policy for every distribution of the account (naming this one would be a dependency cycle)'),
  ...inPacks('S3BucketReplicationEnabled', CONFIG_PACKS,
    'The site is deployed from source (versioned here); a replica would serve nothing: the distribution reads only this bucket'));
  return bucket;
}

/** The bucket for the site's S3 and CloudFront logs: the user's, or one created on first use. */
function websiteLogs(scope: Construct, accessLogsBucket: s3.IBucket | undefined): s3.IBucket {
  if (accessLogsBucket) {
    validateAccessLogsBucket(scope, 'accessLogsBucket', accessLogsBucket);
    return accessLogsBucket;
  }
  const existing = scope.node.tryFindChild('WebsiteLogs') as s3.Bucket | undefined;
  return existing ?? new s3.Bucket(scope, 'WebsiteLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    // CloudFront standard logs are delivered with ACLs: the bucket must have them enabled.
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      { id: 'ExpireLogs', expiration: Duration.days(90) },
      { id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: Duration.days(7), expiredObjectDeleteMarker: true },
    ],
  });
}

/**
 * The distribution: the bucket through origin access control (HTTPS, redirecting HTTP; managed security
 * headers; `index.html` as default root object; standard logs under `cloudfront/`), and with `api` the REST API
 * under `apiPathPattern` (HTTPS only, all methods, every viewer header but Host, nothing cached).
 */
export function websiteDistribution(scope: Construct, bucket: s3.IBucket, options: WebsiteOptions): cloudfront.Distribution {
  const behaviors: Record<string, cloudfront.BehaviorOptions> = {};
  if (options.api && options.apiPathPattern) {
    behaviors[options.apiPathPattern] = {
      origin: new origins.RestApiOrigin(options.api),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: options.apiCachePolicy ?? apiCachePolicy(scope, options.authorizationHeader),
      // Every header but Host (API Gateway routes on its own host name), with query strings and cookies; the
      // x-api-key header too. Authorization is forwarded only through the cache policy (a CloudFront rule).
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    };
  }
  const distribution = new cloudfront.Distribution(scope, 'Distribution', {
    comment: `Static site${options.api ? ' and API' : ''} of ${scope.node.path}`.slice(0, 128),
    defaultRootObject: 'index.html',
    defaultBehavior: {
      origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    },
    additionalBehaviors: behaviors,
    enableLogging: true,
    logBucket: websiteLogs(scope, options.accessLogsBucket),
    logFilePrefix: 'cloudfront/',
    domainNames: options.domainNames,
    certificate: options.certificate,
    // Viewers of a custom domain need TLS 1.2 or later; the cloudfront.net certificate's policy is fixed.
    minimumProtocolVersion: options.certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
    webAclId: options.webAclArn,
  });
  acknowledgeRules(distribution.node.defaultChild as cloudfront.CfnDistribution, {
    id: 'AwsSolutions-CFR1',
    reason: 'Who may load the site is a business decision: no country is excluded by default (add geoRestriction on the distribution to exclude some)',
  });
  return distribution;
}

/**
 * What the API behaviour caches: nothing. Without Authorization headers the managed CachingDisabled policy.
 * With them (Cognito) the header must reach API Gateway, and CloudFront forwards it only as part of the cache
 * key, which a policy with all TTLs 0 cannot have: TTLs 0/0/1 s, so CloudFront caches nothing unless a
 * function sends Cache-Control, and then for at most one second, per token.
 * @see https://repost.aws/knowledge-center/cloudfront-authorization-header
 */
function apiCachePolicy(scope: Construct, authorizationHeader: boolean): cloudfront.ICachePolicy {
  if (!authorizationHeader) {
    return cloudfront.CachePolicy.CACHING_DISABLED;
  }
  return new cloudfront.CachePolicy(scope, 'ApiCachePolicy', {
    comment: `API behaviour of ${scope.node.path}: Authorization in the key, nothing cached`.slice(0, 128),
    minTtl: Duration.seconds(0),
    defaultTtl: Duration.seconds(0),
    maxTtl: Duration.seconds(1),
    headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
  });
}
