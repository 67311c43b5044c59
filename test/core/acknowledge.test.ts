import { Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledgeRules } from '../../src/core/private/acknowledge';

describe('acknowledgeRules', () => {
  test('writes cdk-nag v2 metadata: a granular finding as the rule id with applies_to, a plain rule as its id', () => {
    const stack = new Stack();
    const queue = new sqs.CfnQueue(stack, 'Queue');
    acknowledgeRules(queue, { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'a Describe action' }, { id: 'AwsSolutions-SQS3', reason: 'a DLQ' });
    expect(queue.getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [
        { id: 'AwsSolutions-IAM5', reason: 'a Describe action', applies_to: ['Resource::*'] },
        { id: 'AwsSolutions-SQS3', reason: 'a DLQ' },
      ],
    });
  });

  test('and acknowledges the same findings through aws-cdk-lib Validations (cdk-nag v3) with their granular ids', () => {
    const stack = new Stack();
    const queue = new sqs.CfnQueue(stack, 'Queue');
    const acknowledge = jest.spyOn(Validations.prototype as any, 'acknowledge');
    acknowledgeRules(queue, { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'a Describe action' });
    expect(acknowledge).toHaveBeenCalledWith({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'a Describe action' });
    acknowledge.mockRestore();
  });
});
