export * from './monitoring';
export * from './managed-policy-role';
