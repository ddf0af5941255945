/**
 * Provider profiles in the workbench: `--profile` picks the endpoint, model, key and prices; the
 * status line shows the session's cost at the configured price; `/model <profile>` switches the
 * next request to another profile.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusLine, threadRow, useWorkbench } from './tui-harness.ts';

const bench = useWorkbench();
let configDir: string;

beforeAll(() => {
	configDir = mkdtempSync(join(tmpdir(), 'orbit-tui-profiles-'));
	const config = {
		profiles: {
			work: {
				baseUrl: bench.fake.url,
				auth: { type: 'env', variable: 'WORK_KEY' },
				model: 'work-model',
				prices: { 'work-model': { input: 1000, output: 2000 } },
			},
			local: { baseUrl: bench.fake.url, auth: { type: 'none' }, model: 'local-model' },
		},
	};
	writeFileSync(join(configDir, 'config.json'), JSON.stringify(config));
});
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

describe('provider profiles in the workbench', () => {
	it('--profile uses the profile; the status line prices the session; /model switches profile', async () => {
		const before = bench.count();
		// 1,000 prompt tokens × $1,000/M + 500 completion tokens × $2,000/M = $2.00
		bench.fake.script({ text: 'Hello from work.', usage: { prompt_tokens: 1000, completion_tokens: 500 } }, { text: 'Hello from local.' });
		const tui = await bench.open({ env: { ORBIT_CONFIG_DIR: configDir, WORK_KEY: 'sk-work-123' }, args: ['--profile', 'work'] });
		expect(statusLine(await tui.capture())).toMatch(/^work-model · 0 tokens \(\$0\.0000\)/);

		await tui.type('hello');
		await tui.sendKeys('Enter');
		const answered = await tui.waitFor((screen) => screen.includes('Hello from work.') && statusLine(screen).endsWith('idle'), 10_000, 'the first answer');
		expect(statusLine(answered)).toMatch(/^work-model · 1\.5k tokens \(\$2\.00\)/);
		const first = bench.fake.requests[before]!;
		expect(first.body.model).toBe('work-model');
		expect(first.headers.authorization).toBe('Bearer sk-work-123');

		await tui.type('/model local');
		await tui.sendKeys('Enter');
		const switched = await tui.waitFor((screen) => screen.includes('Switched to profile local') && statusLine(screen).startsWith('local-model'), 10_000, 'the switch');
		expect(switched).toMatch(threadRow('• Switched to profile local: local-model at http'));

		await tui.type('again');
		await tui.sendKeys('Enter');
		await tui.waitForText('Hello from local.');
		const second = bench.fake.requests[before + 1]!;
		expect(second.body.model).toBe('local-model');
		expect(second.headers.authorization).not.toContain('sk-work-123');
		// The conversation goes on: the first exchange is in the second request.
		expect(JSON.stringify(second.body.messages)).toContain('Hello from work.');
	});
});
