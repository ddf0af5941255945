import { describe, expect, it } from 'vitest';
import { ToolCallAssembler } from '../../source/model/tool-call-assembler.ts';

function assembler(): ToolCallAssembler {
	let n = 0;
	return new ToolCallAssembler(() => `call_${++n}`);
}

describe('ToolCallAssembler', () => {
	it('joins OpenAI-style fragments of two parallel calls by index', () => {
		const a = assembler();
		a.add({ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '' } });
		a.add({ index: 0, function: { arguments: '{"pa' } });
		a.add({ index: 0, function: { arguments: 'th":"a.ts"}' } });
		a.add({ index: 1, id: 'call_b', type: 'function', function: { name: 'grep', arguments: '' } });
		a.add({ index: 1, function: { arguments: '{"pattern":' } });
		a.add({ index: 1, function: { arguments: '"x"}' } });
		expect(a.calls()).toEqual([
			{ id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
			{ id: 'call_b', type: 'function', function: { name: 'grep', arguments: '{"pattern":"x"}' } },
		]);
	});

	it('returns calls in index order even when fragments interleave', () => {
		const a = assembler();
		a.add({ index: 1, id: 'second', function: { name: 'b', arguments: '{"n":' } });
		a.add({ index: 0, id: 'first', function: { name: 'a', arguments: '{"n":' } });
		a.add({ index: 1, function: { arguments: '2}' } });
		a.add({ index: 0, function: { arguments: '1}' } });
		expect(a.calls().map((c) => [c.id, JSON.parse(c.function.arguments).n])).toEqual([
			['first', 1],
			['second', 2],
		]);
	});

	it('takes a whole call sent in one fragment', () => {
		const a = assembler();
		a.add({ index: 0, id: 'whole', type: 'function', function: { name: 'ls', arguments: '{"dir":"."}' } });
		expect(a.calls()).toEqual([{ id: 'whole', type: 'function', function: { name: 'ls', arguments: '{"dir":"."}' } }]);
	});

	it('generates ids for calls without one and separates whole calls that omit index and id', () => {
		const a = assembler();
		a.add({ function: { name: 'ls', arguments: '{"dir":"a"}' } });
		a.add({ function: { name: 'ls', arguments: '{"dir":"b"}' } });
		expect(a.calls()).toEqual([
			{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{"dir":"a"}' } },
			{ id: 'call_2', type: 'function', function: { name: 'ls', arguments: '{"dir":"b"}' } },
		]);
	});

	it('continues the previous call for fragments without index or id', () => {
		const a = assembler();
		a.add({ id: 'x', function: { name: 'ls', arguments: '{"dir"' } });
		a.add({ function: { arguments: ':"a"}' } });
		expect(a.calls()).toEqual([{ id: 'x', type: 'function', function: { name: 'ls', arguments: '{"dir":"a"}' } }]);
	});

	it('groups fragments by id when the provider sends no index', () => {
		const a = assembler();
		a.add({ id: 'p', function: { name: 'a', arguments: '{"v":' } });
		a.add({ id: 'q', function: { name: 'b', arguments: '{"v":' } });
		a.add({ id: 'p', function: { arguments: '1}' } });
		a.add({ id: 'q', function: { arguments: '2}' } });
		expect(a.calls().map((c) => [c.id, c.function.name, c.function.arguments])).toEqual([
			['p', 'a', '{"v":1}'],
			['q', 'b', '{"v":2}'],
		]);
	});

	it('starts a new call when a known index arrives with a different id', () => {
		const a = assembler();
		a.add({ index: 0, id: 'one', function: { name: 'a', arguments: '{}' } });
		a.add({ index: 0, id: 'two', function: { name: 'b', arguments: '{}' } });
		expect(a.calls().map((c) => c.id)).toEqual(['one', 'two']);
	});

	it('does not split a call whose fragments repeat the name mid-arguments', () => {
		const a = assembler();
		a.add({ index: 0, function: { name: 'ls', arguments: '{"dir":' } });
		a.add({ index: 0, function: { name: 'ls', arguments: '"a"}' } });
		expect(a.calls()).toEqual([{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{"dir":"a"}' } }]);
	});

	it('normalises empty arguments to {} and serialises object arguments', () => {
		const a = assembler();
		a.add({ index: 0, id: 'e', function: { name: 'now', arguments: '' } });
		a.add({ index: 1, id: 'o', function: { name: 'ls', arguments: { dir: '.' } } });
		expect(a.calls().map((c) => c.function.arguments)).toEqual(['{}', '{"dir":"."}']);
	});

	it('returns nothing when no fragment arrived', () => {
		expect(assembler().calls()).toEqual([]);
	});
});
