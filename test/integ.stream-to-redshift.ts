// Integration test: clickstream into a new Redshift Serverless workgroup through Firehose, with the table
// created by the custom resource. The snapshot is written without deploying (`npx projen integ:update`)
// and verified by `npm test`.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { StreamToRedshift } from '../src';

const app = new App();
const stack = new Stack(app, 'StreamToRedshiftInteg');

new StreamToRedshift(stack, 'Clicks', {
  table: {
    name: 'clicks',
    columns: [{ name: 'event_id', dataType: 'VARCHAR(64)' }, { name: 'occurred_at', dataType: 'TIMESTAMP' }],
    sortKey: ['occurred_at'],
  },
});

new IntegTest(app, 'StreamToRedshiftTest', { testCases: [stack] });
