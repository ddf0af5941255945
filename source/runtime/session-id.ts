import { randomBytes } from 'node:crypto';

/** A sortable, readable session id: `20261121-235430-a1b2c3`. */
export function newSessionId(now = new Date()): string {
	const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
	return `${stamp}-${randomBytes(3).toString('hex')}`;
}
