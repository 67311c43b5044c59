import { Token } from 'aws-cdk-lib';

/** The suffix SQS and SNS require on the names of FIFO queues and topics. */
export const FIFO_SUFFIX = '.fifo';

/** `name` with `.fifo` appended for a FIFO resource, unless it is there already or the name is a Token. */
export function withFifoSuffix(fifo: boolean, name: string): string {
  if (!fifo || Token.isUnresolved(name) || name.endsWith(FIFO_SUFFIX)) {
    return name;
  }
  return `${name}${FIFO_SUFFIX}`;
}
