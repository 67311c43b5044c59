export * from './buffered-queue-with-dlq';
export * from './fan-out-topic';
export * from './alarm-topic';
