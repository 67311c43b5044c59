export * from './core';
export * from './messaging';
export * from './streaming';
export * from './networking';
export * from './serverless';
