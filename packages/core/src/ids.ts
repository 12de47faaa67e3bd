import { randomBytes } from 'node:crypto';

/**
 * Opaque ids with a readable kind prefix. base64url never contains ':' and the prefix keeps an
 * id from being all digits, both of which BullMQ job ids must avoid.
 */
export function newId(kind: 'ses' | 'turn' | 'call' | 'conf' | 'esc' | 'evt' | 'key' | 'rsv'): string {
  return `${kind}_${randomBytes(12).toString('base64url')}`;
}
