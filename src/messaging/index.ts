export * from './buffered-queue-with-dlq';
