import type { ApiErrorCode } from './types.js';

/**
 * The HTTP status of each error code in browser mode. A Record over the union, so a new code cannot be
 * added without its status (an edit conflict used to fall through to 500).
 */
export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  'bad-request': 400,
  unauthorized: 401,
  'not-found': 404,
  conflict: 409,
  'edit-conflict': 409,
  cancelled: 409,
  failed: 500,
};
