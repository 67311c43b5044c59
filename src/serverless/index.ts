export * from './api-auth';
export * from './api-usage-plan';
export * from './serverless-api';
