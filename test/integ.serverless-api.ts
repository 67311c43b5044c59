// Integration test: the notes' serverless architecture with API keys: a static site and the API on one
// CloudFront distribution (/api/*), a stage cache, a table with a read route and a write route, and a usage
// plan with a partner's key. The snapshot is written without deploying (`npx projen integ:update`) and
// verified by `npm test`. Deployed, it keeps what the construct keeps on deletion: the account's API Gateway
// CloudWatch Logs role and setting, the log groups and the site's buckets (the table is destroyed here).
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AccountCloudWatchRole, ApiAuth, ServerlessApi, TableAccess } from '../src';

const app = new App();
const stack = new Stack(app, 'ServerlessApiInteg');

const api = new ServerlessApi(stack, 'Orders', {
  table: { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false },
  auth: ApiAuth.apiKey(),
  throttle: { rateLimit: 100, burstLimit: 200 },
  cache: { ttl: Duration.minutes(5) },
  website: true,
  accountCloudWatchRole: AccountCloudWatchRole.CREATE,
});

const handler = (id: string, body: string) => new lambda.Function(stack, id, {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline(`exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(${body}) });`),
  timeout: Duration.seconds(10),
});
api.addRoute('GET', '/orders/{id}', handler('GetOrder', '{ id: event.pathParameters.id, table: process.env.TABLE_NAME }'), { access: TableAccess.READ });
api.addRoute('POST', '/orders', handler('CreateOrder', '{ created: true }'), { access: TableAccess.READ_WRITE });
api.addUsagePlan('Partners', { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 10000, period: apigateway.Period.MONTH } }).addApiKey('PartnerA');

new IntegTest(app, 'ServerlessApiTest', { testCases: [stack] });
