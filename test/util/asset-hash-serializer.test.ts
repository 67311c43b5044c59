describe('asset hash serializer', () => {
  test('replaces 64-character hex asset hashes so snapshots do not churn', () => {
    const hash = 'a6d499e2a979dad4796d3330fbaf64a19ba07392a767e5ca7d05cf97af14a7b3';
    expect({ S3Key: `${hash}.zip` }).toMatchInlineSnapshot(`
{
  "S3Key": "[ASSET HASH].zip",
}
`);
  });
});
