import { describe, expect, it } from 'vitest';
import { toolSchema } from '../../source/runtime/tool.ts';
import { createBuiltinTools } from '../../tools/index.ts';

// With a project memory, as Orbit runs in a repository: its three tools come after planning (PRODUCT §2).
const memory = { search: async () => [], add: async () => ({ ok: true as const, message: '' }), remove: async () => ({ ok: true as const, message: '' }) };
const schemas = createBuiltinTools({ memory }).map(toolSchema);
const size = JSON.stringify(schemas).length;

describe('the tool schemas the model sees', () => {
	it('have unique names in a stable order', () => {
		const names = schemas.map((schema) => schema.function.name);
		expect(new Set(names).size).toBe(names.length);
		expect(names).toEqual([
			'user_send_message',
			'plan_read',
			'plan_update',
			'memory_search',
			'memory_add',
			'memory_remove',
			'read_file',
			'write_file',
			'edit_file',
			'glob',
			'grep',
			'shell',
			'git_status',
			'git_diff',
			'git_log',
			'git_commit',
		]);
	});

	// A contract change shows in review as a change of this file.
	it('match the committed snapshot', async () => {
		await expect(`${JSON.stringify(schemas, null, '\t')}\n`).toMatchFileSnapshot('./tool-schemas.snapshot.json');
	});

	// Sent with every request: keep it small. The number is in the test name so every run logs it.
	it(`stay small: ${size} characters of JSON for ${schemas.length} tools`, () => {
		// 4,000 for the 13 tools of issue 1; the three memory tools (issue 4) add about 800.
		expect(size).toBeLessThan(4_500);
	});
});
