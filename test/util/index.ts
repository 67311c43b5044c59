export * from './stack';
export * from './compliance';
export * from './network';
