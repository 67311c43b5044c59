// The comparison is shared with the messaging constructs: it lives with the shared validation helpers.
export { envDifference } from '../../core/private/validation';
export type { Env } from '../../core/private/validation';
