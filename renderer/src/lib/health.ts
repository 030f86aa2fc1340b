import type { StoreHealth } from '../../../core/contract/index.js';
import { call } from './api.js';

/**
 * The store's check (and daily backup) runs once per page load; the banner and the list's footer share
 * its answer instead of reading every page of the file twice.
 */
let pending: Promise<StoreHealth> | null = null;
export function storeHealth(): Promise<StoreHealth> {
  pending ??= call('store.check', { quick: true });
  return pending;
}
