import { describe, expect, it } from 'vitest';
import { toolSchema } from '../../source/runtime/tool.ts';
import { createBuiltinTools } from '../../tools/index.ts';

const schemas = createBuiltinTools().map(toolSchema);
const size = JSON.stringify(schemas).length;

describe('the tool schemas the model sees', () => {
	it('have unique names in a stable order', () => {
		const names = schemas.map((schema) => schema.function.name);
		expect(new Set(names).size).toBe(names.length);
		expect(names).toEqual([
			'user_send_message',
			'plan_read',
			'plan_update',
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
		expect(size).toBeLessThan(4_000);
	});
});
