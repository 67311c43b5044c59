/** The suffix SQS and SNS require on the names of FIFO queues and topics. */
export const FIFO_SUFFIX = '.fifo';

/**
 * `name` with `.fifo` appended for a FIFO resource, unless it ends with it already. A name that is a Token
 * is checked for a literal ending: `${param}.fifo` is kept as it is, a bare Token gets `.fifo` appended (so
 * the parameter holds the name without the suffix), as aws-cdk-lib does for SNS topics.
 */
export function withFifoSuffix(fifo: boolean, name: string): string {
  if (!fifo || name.endsWith(FIFO_SUFFIX)) {
    return name;
  }
  return `${name}${FIFO_SUFFIX}`;
}
