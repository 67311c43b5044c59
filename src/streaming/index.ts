export * from './stream-to-redshift';
