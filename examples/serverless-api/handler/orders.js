// Route handlers of the orders API (Lambda proxy integration). The table name comes from TABLE_NAME, set by
// ServerlessApi for routes with table access; the AWS SDK v3 comes with the Node.js runtime.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand, PutCommand } = require('@aws-sdk/lib-dynamodb');
const { randomUUID } = require('crypto');

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

const reply = (statusCode, body) => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

// GET /orders/{orderId}: the order, or 404.
exports.getOrder = async (event) => {
  const orderId = event.pathParameters && event.pathParameters.orderId;
  try {
    const { Item } = await documents.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { orderId } }));
    return Item ? reply(200, Item) : reply(404, { message: `order ${orderId} not found` });
  } catch (error) {
    console.error(JSON.stringify({ orderId, error: String(error) }));
    return reply(500, { message: 'could not read the order' });
  }
};

// POST /orders: stores the order (the body was validated by API Gateway against the route's schema).
exports.createOrder = async (event) => {
  try {
    const input = JSON.parse(event.body);
    const order = { orderId: randomUUID(), item: input.item, quantity: input.quantity, createdAt: new Date().toISOString() };
    await documents.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: order, ConditionExpression: 'attribute_not_exists(orderId)' }));
    return reply(201, order);
  } catch (error) {
    console.error(JSON.stringify({ error: String(error) }));
    return reply(500, { message: 'could not store the order' });
  }
};
