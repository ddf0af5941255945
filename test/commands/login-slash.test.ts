// `/login` run with a fake command context, against a real oidc-provider on 127.0.0.1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext, CommandResult } from '../../commands/command.ts';
import { createLoginCommand } from '../../commands/login.ts';
import { TokenStore } from '../../source/auth/token-store.ts';
import { CLIENT_ID, SCOPE, useOidcSignIn } from '../fixtures/oidc-server.ts';
import { waitUntil } from '../fixtures/scripted-model.ts';
import { fakeContext } from './fake-context.ts';

const t = useOidcSignIn('orbit-login-slash-');

type Notice = { text: string; tone?: string };

/** A context whose `signIn.notify` records the later notices. */
function context(profile?: string): CommandContext & { notices: Notice[] } {
	const notices: Notice[] = [];
	return { ...fakeContext(), notices, signIn: { env: t.env, ...(profile !== undefined && { profile }), notify: (text, tone) => notices.push({ text, tone }) } };
}

const text = (result: CommandResult) => (result.kind === 'notice' ? result.text : '');
const userCodeOf = (result: CommandResult) => /enter the code ([A-Z]{4}-[A-Z]{4})/.exec(text(result))?.[1];
const corpPreset = () => writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ logins: { work: { issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE } }, profiles: { work: { baseUrl: 'http://127.0.0.1:8/v1', auth: { type: 'login' } } } }));

describe('/login', () => {
	it('answers with the verification URI and user code at once, then "signed in as …" as a later notice', async () => {
		corpPreset();
		const command = createLoginCommand();
		const ctx = context('work');
		const shown = await command.run('', ctx);
		expect(shown).toMatchObject({ kind: 'notice', tone: 'info' });
		expect(text(shown)).toMatch(
			new RegExp(`^To sign in for profile work, open ${t.server.issuer}/device and enter the code [A-Z]{4}-[A-Z]{4} \\(or open ${t.server.issuer}/device\\?user_code=\\S+, which has the code in it\\)\\. The code is valid for 10 min; you can keep working meanwhile\\.$`),
		);
		expect(ctx.notices).toEqual([]);

		// While the flow waits, a second /login for the profile repeats the code instead of starting another.
		const repeated = await command.run('work', ctx);
		expect(text(repeated)).toBe(`Still waiting for the sign-in of profile work. ${text(shown)}`);

		await t.server.approve(userCodeOf(shown)!, 'ada');
		await waitUntil(() => ctx.notices.length > 0, 'the sign-in notice', 15_000);
		expect(ctx.notices).toEqual([{ text: 'Signed in as Ada <ada@example.com> for profile work. The session uses it from its next request.', tone: 'info' }]);
		const stored = new TokenStore({ env: t.env }).get('work')!;
		expect(await t.server.userinfoStatus(stored.accessToken)).toBe(200);
		expect(JSON.stringify([shown, repeated, ctx.notices])).not.toContain(stored.accessToken);
	});

	it('signs a named profile in again where its last login did, and says when the profile does not use the login', async () => {
		corpPreset();
		const command = createLoginCommand();
		const first = context('work');
		const shown = await command.run('work', first);
		await t.server.approve(userCodeOf(shown)!, 'ada');
		await waitUntil(() => first.notices.length > 0, 'the first sign-in', 15_000);
		// Copy the login to a profile with no preset: /login finds where to sign in from the stored login.
		const store = new TokenStore({ env: t.env });
		await store.set('stray', store.get('work')!);

		const ctx = context('work');
		const again = await command.run('stray', ctx);
		await t.server.approve(userCodeOf(again)!, 'grace');
		await waitUntil(() => ctx.notices.length > 0, 'the second sign-in', 15_000);
		expect(ctx.notices).toEqual([
			{ text: 'Signed in as Grace <grace@example.com> for profile stray. Profile stray does not use this login yet: run orbit login --profile stray --base-url URL in a shell to set it up.', tone: 'info' },
		]);
		expect(store.get('stray')!.who?.subject).toBe('grace');
	});

	it('a denied approval comes back as an error notice; nothing is stored', async () => {
		corpPreset();
		const ctx = context('work');
		const shown = await createLoginCommand().run('', ctx);
		await t.server.deny(userCodeOf(shown)!);
		await waitUntil(() => ctx.notices.length > 0, 'the error notice', 15_000);
		expect(ctx.notices).toHaveLength(1);
		expect(ctx.notices[0]).toMatchObject({ tone: 'error' });
		expect(ctx.notices[0]!.text).toMatch(/^\/login work failed: .*denied/);
		expect(new TokenStore({ env: t.env }).list()).toEqual({});
	});

	it('answers with an error, starting no flow, when it cannot know the profile or where to sign in', async () => {
		const command = createLoginCommand();
		const cases: [CommandContext, string, RegExp][] = [
			[fakeContext(), '', /^\/login is not available here; sign in from a shell with orbit login --profile NAME/],
			[context(), '', /^No provider profile is active: say which one, \/login NAME/],
			[context('work'), 'a b', /^Usage: \/login \[profile\]/],
			[context('work'), '../x', /^"\.\.\/x" cannot be a profile name/],
			[context('work'), '', /^\/login work: say where to sign in \(profile work has no login preset and no earlier login\)/],
		];
		for (const [ctx, args, message] of cases) {
			const result = await command.run(args, ctx);
			expect(result.kind).toBe('notice');
			expect(text(result)).toMatch(message);
		}
		writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ logins: { work: { issuer: 'http://127.0.0.1:9', clientId: 'x' } } }));
		const unreachable = await command.run('work', context());
		expect(unreachable).toMatchObject({ kind: 'notice', tone: 'error' });
		expect(text(unreachable)).toMatch(/^\/login work: .*127\.0\.0\.1:9/);
		// The failure did not leave the profile marked as waiting.
		const retry = await command.run('work', context());
		expect(text(retry)).not.toMatch(/Still waiting/);
	});
});
