import * as cognito from 'aws-cdk-lib/aws-cognito';

/** How callers authenticate. */
export enum ApiAuthType {
  /** SigV4-signed requests, authorized by IAM policies (`grantInvoke`). */
  IAM = 'IAM',
  /** An API key in the `x-api-key` header on every method, metered and throttled by usage plans. */
  API_KEY = 'API_KEY',
  /** A Cognito user pool token in the `Authorization` header. */
  COGNITO = 'COGNITO',
  /** No authentication. */
  NONE = 'NONE',
}

/** Options of `ApiAuth.cognito`. */
export interface CognitoAuthOptions {
  /**
   * OAuth scopes a token must carry (access tokens); without scopes, ID tokens are accepted.
   *
   * @default - none: any valid token of the user pool
   */
  readonly scopes?: string[];
}

/**
 * How callers of a ServerlessApi authenticate: one mode for every route.
 */
export abstract class ApiAuth {
  /** SigV4 (IAM): callers sign with AWS credentials and need `execute-api:Invoke` (`grantInvoke`). */
  public static iam(): ApiAuth {
    return new class extends ApiAuth {
      public readonly type = ApiAuthType.IAM;
    }();
  }

  /**
   * API keys: every method requires the `x-api-key` header; keys belong to usage plans (`addUsagePlan`)
   * that throttle and meter them. Keys identify and meter developers; they are not an authorization
   * mechanism on their own (API Gateway's guidance), so give them to developers, not to end users.
   */
  public static apiKey(): ApiAuth {
    return new class extends ApiAuth {
      public readonly type = ApiAuthType.API_KEY;
    }();
  }

  /** Cognito user pool tokens in the `Authorization` header. */
  public static cognito(userPool: cognito.IUserPool, options: CognitoAuthOptions = {}): ApiAuth {
    return new class extends ApiAuth {
      public readonly type = ApiAuthType.COGNITO;
      public readonly userPool = userPool;
      public readonly scopes = options.scopes;
    }();
  }

  /** No authentication: anyone may call every route. Chosen explicitly only; synthesis warns. */
  public static none(): ApiAuth {
    return new class extends ApiAuth {
      public readonly type = ApiAuthType.NONE;
    }();
  }

  /** The mode. */
  public abstract readonly type: ApiAuthType;
  /** The user pool, for COGNITO. */
  public readonly userPool?: cognito.IUserPool;
  /** The required scopes, for COGNITO. */
  public readonly scopes?: string[];
}
