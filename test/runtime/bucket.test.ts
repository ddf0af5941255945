import { describe, expect, it } from 'vitest';
import { Bucket } from '../../source/runtime/bucket.ts';
import { createItem, type Priority } from '../../source/runtime/context-item.ts';

const item = (content: string, priority: Priority) => createItem({ source: 'user', content, priority });

describe('Bucket', () => {
	it('orders Interruption before ForNextTurn before InTheEnd, FIFO within a priority', () => {
		const bucket = new Bucket();
		for (const [content, priority] of [
			['end-1', 'in-the-end'],
			['next-1', 'for-next-turn'],
			['stop-1', 'interruption'],
			['next-2', 'for-next-turn'],
			['end-2', 'in-the-end'],
			['stop-2', 'interruption'],
		] as const) {
			bucket.add(item(content, priority));
		}
		expect(bucket.list().map((entry) => entry.content)).toEqual(['stop-1', 'stop-2', 'next-1', 'next-2', 'end-1', 'end-2']);
	});

	it('removes a waiting item and reports a missing one', () => {
		const bucket = new Bucket();
		const first = item('a', 'for-next-turn');
		bucket.add(first);
		bucket.add(item('b', 'for-next-turn'));
		expect(bucket.remove(first.id)?.content).toBe('a');
		expect(bucket.remove(first.id)).toBeUndefined();
		expect(bucket.list().map((entry) => entry.content)).toEqual(['b']);
	});

	it('re-prioritising moves an item to the end of its new priority', () => {
		const bucket = new Bucket();
		const late = item('late', 'in-the-end');
		bucket.add(item('first', 'for-next-turn'));
		bucket.add(late);
		bucket.add(item('second', 'for-next-turn'));
		expect(bucket.reprioritize(late.id, 'for-next-turn')?.priority).toBe('for-next-turn');
		expect(bucket.list().map((entry) => entry.content)).toEqual(['first', 'second', 'late']);
		expect(bucket.reprioritize('nope', 'interruption')).toBeUndefined();
	});

	it('takes only the requested priorities, in order, and leaves the rest', () => {
		const bucket = new Bucket();
		bucket.add(item('end', 'in-the-end'));
		bucket.add(item('next', 'for-next-turn'));
		bucket.add(item('stop', 'interruption'));
		expect(bucket.take(['interruption', 'for-next-turn']).map((entry) => entry.content)).toEqual(['stop', 'next']);
		expect(bucket.list().map((entry) => entry.content)).toEqual(['end']);
	});

	it('refuses the same item twice', () => {
		const bucket = new Bucket();
		const one = item('a', 'in-the-end');
		bucket.add(one);
		expect(() => bucket.add(one)).toThrow(/already/);
	});
});
