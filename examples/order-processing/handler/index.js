// Processes a batch of orders and reports the failed ones, so that only those are retried
// (the event source mapping has ReportBatchItemFailures on).
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const order = JSON.parse(record.body);
      if (typeof order.id !== 'string') {
        throw new Error('order without an id');
      }
      console.log(JSON.stringify({ processed: order.id }));
    } catch (error) {
      console.error(JSON.stringify({ messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
