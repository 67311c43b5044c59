export * from './hub-transit-gateway';
