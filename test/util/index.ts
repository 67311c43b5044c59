export * from './stack';
export * from './compliance';
