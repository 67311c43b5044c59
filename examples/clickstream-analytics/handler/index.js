// Counts clicks per page in each batch (a stand-in for real-time personalisation).
exports.handler = async (event) => {
  const pages = {};
  for (const record of event.Records) {
    const click = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    pages[click.page] = (pages[click.page] ?? 0) + 1;
  }
  console.log(JSON.stringify({ pages }));
};
