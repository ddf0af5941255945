import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.ts';
import type { CommandContext, CommandResult, SlashCommand } from '../../commands/command.ts';
import { fakeContext } from './fake-context.ts';

function command(name: string): SlashCommand {
	const found = COMMANDS.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no /${name}`);
	return found;
}

async function run(name: string, args: string, ctx: CommandContext): Promise<CommandResult> {
	return await command(name).run(args, ctx);
}

function text(result: CommandResult): string {
	if (result.kind !== 'notice') throw new Error(`expected a notice, got ${result.kind}`);
	return result.text;
}

describe('slash commands', () => {
	it('/help lists every command with its summary', async () => {
		const lines = text(await run('help', '', fakeContext())).split('\n');
		for (const registered of COMMANDS) {
			const line = lines.find((candidate) => candidate.startsWith(registered.usage ?? `/${registered.name}`));
			expect(line, `/${registered.name}`).toContain(registered.summary);
		}
		expect(lines.find((line) => line.startsWith('/theme'))).toMatch(/^\/theme \[name\] +List the themes/);
	});

	it('/plan shows the plan, or says there is none yet', async () => {
		expect(text(await run('plan', '', fakeContext()))).toMatch(/no plan yet/i);
		const plan = { steps: [{ index: 1, content: 'read the code', status: 'Done' as const }, { index: 2, content: 'rename the module', status: 'Active' as const }] };
		expect(text(await run('plan', '', fakeContext({ plan })))).toBe('Plan:\n1. [Done] read the code\n2. [Active] rename the module');
	});

	describe('/theme', () => {
		it('without a name lists the themes and names the current one', async () => {
			const ctx = fakeContext({ theme: 'light' });
			expect(await run('theme', '', ctx)).toEqual({ kind: 'notice', text: 'Theme: light. Available: dark, light, High-Contrast.', tone: 'info' });
			expect(ctx.calls).not.toContainEqual(expect.stringMatching(/^setTheme/));
		});

		it('with a known name switches to it, matching without regard to case', async () => {
			const ctx = fakeContext();
			expect(await run('theme', 'high-contrast', ctx)).toEqual({ kind: 'notice', text: 'Theme set to High-Contrast.', tone: 'info' });
			expect(ctx.calls).toEqual(['setTheme:High-Contrast']);
			expect(ctx.theme).toBe('High-Contrast');
		});

		it('with the current name says so and sets nothing', async () => {
			const ctx = fakeContext({ theme: 'dark' });
			expect(text(await run('theme', 'dark', ctx))).toMatch(/already/);
			expect(ctx.calls).toEqual([]);
		});

		it('with an unknown name answers with an error and changes nothing', async () => {
			const ctx = fakeContext();
			expect(await run('theme', 'solarized', ctx)).toEqual({ kind: 'notice', text: 'Unknown theme "solarized". Available: dark, light, High-Contrast.', tone: 'error' });
			expect(ctx.calls).toEqual([]);
			expect(ctx.theme).toBe('dark');
		});
	});

	it('/clear clears the thread view and says the agent keeps the conversation', async () => {
		const ctx = fakeContext();
		const result = text(await run('clear', '', ctx));
		expect(ctx.calls).toEqual(['clearThread']);
		expect(result).toMatch(/still remembers the conversation/);
	});

	it('/quit asks to quit', async () => {
		expect(await run('quit', '', fakeContext())).toEqual({ kind: 'quit' });
	});

	it('/model without switching available names the model and changes nothing', async () => {
		const ctx = fakeContext({ model: 'qwen-coder' });
		expect(text(await run('model', '', ctx))).toBe('Model: qwen-coder.');
		const asked = await run('model', 'gpt-5', ctx);
		expect(asked).toMatchObject({ kind: 'notice', tone: 'warning' });
		expect(text(asked)).toMatch(/Nothing was changed/);
		expect(ctx.calls).toEqual([]);
	});

	it('/model lists profile, fallbacks and profiles, and switches to a profile or a model', async () => {
		const switched: string[] = [];
		const ctx = {
			...fakeContext({ model: 'gpt-4.1' }),
			models: {
				profile: () => 'work',
				fallbacks: () => ['gpt-4.1-mini'],
				profiles: () => ['work', 'local'],
				switchTo: (target: string) => {
					if (target === 'bad name!') throw new Error('"bad name!" is neither a configured profile nor a model name.');
					switched.push(target);
					return `Switched to ${target}.`;
				},
			},
		};
		const shown = text(await run('model', '', ctx));
		expect(shown).toContain('Model: gpt-4.1 (profile work).');
		expect(shown).toContain('Fallbacks, in order: gpt-4.1-mini.');
		expect(shown).toContain('Profiles: work, local.');
		expect(text(await run('model', 'local', ctx))).toBe('Switched to local.');
		const refused = await run('model', 'bad name!', ctx);
		expect(refused).toMatchObject({ kind: 'notice', tone: 'error' });
		expect(text(refused)).toMatch(/neither a configured profile nor a model name\. Nothing was changed\./);
		expect(switched).toEqual(['local']);
	});
});
