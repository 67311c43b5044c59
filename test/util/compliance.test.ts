import { Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { complianceFindings, createTestStack, expectCompliant, expectOnlyFindings, findingSummary } from '.';

describe('compliance helper', () => {
  test('fails on an unacknowledged finding, naming rule, path and message', () => {
    const stack = createTestStack();
    new s3.Bucket(stack, 'Plain');
    expect(() => expectCompliant(stack)).toThrow(/error AwsSolutions-S10 Test\/Plain\/Resource: The S3 Bucket or bucket policy does not require requests to use SSL/);
  });

  test('runs all five packs', () => {
    const stack = createTestStack();
    new s3.Bucket(stack, 'Plain');
    const packs = new Set(complianceFindings(stack).map((f) => f.ruleId.split('-')[0]));
    expect([...packs].sort()).toEqual(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']);
    expect(findingSummary(stack)).toContain('S3BucketVersioningEnabled Plain');
  });

  test('an acknowledged finding is not reported; expectOnlyFindings compares exactly', () => {
    const stack = createTestStack();
    const bucket = new s3.Bucket(stack, 'Plain', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test of the helper' });
    expect(complianceFindings(stack).map((f) => f.ruleId)).not.toContain('AwsSolutions-S1');
    expect(() => expectOnlyFindings(stack, {})).toThrow();
  });
});
