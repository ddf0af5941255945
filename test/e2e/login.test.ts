// `orbit login`, `orbit auth status`, `orbit logout` through the built binary (dist/), against a real
// oidc-provider and the fake OpenAI server on 127.0.0.1, with the user config in a temporary folder.
// The user's approval is automated over HTTP with the user code read from the binary's stdout.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { CLIENT_ID, type OidcServer, SCOPE, startOidcServer } from '../fixtures/oidc-server.ts';
import { cleanEnv, createRepo, type OrbitRun, startOrbit } from '../fixtures/run-orbit.ts';
import { waitUntil } from '../fixtures/scripted-model.ts';

let oidc: OidcServer;
let fake: FakeOpenAI;
let root: string;
const folders: string[] = [];
beforeAll(async () => {
	[oidc, fake] = await Promise.all([startOidcServer(), startFakeOpenAI()]);
	root = createRepo({ 'README.md': '# demo\n' });
});
afterAll(async () => {
	await Promise.all([oidc.close(), fake.close()]);
	for (const folder of [root, ...folders]) rmSync(folder, { recursive: true, force: true });
});

/** A fresh user config folder and the environment of a child orbit using it. */
function freshEnv(): { dir: string; env: NodeJS.ProcessEnv } {
	const dir = mkdtempSync(join(tmpdir(), 'orbit-login-e2e-'));
	folders.push(dir);
	return { dir, env: cleanEnv({ ORBIT_CONFIG_DIR: dir }) };
}

/** Waits for the binary to show the user code and returns it. */
async function userCodeOf(run: OrbitRun): Promise<string> {
	await waitUntil(() => /enter the code: \S+/.test(run.stdout()), `the user code on stdout (stderr: ${run.stderr()})`, 15_000);
	return /enter the code: (\S+)/.exec(run.stdout())![1]!;
}

const loginArgs = (profile: string) => ['login', '--issuer', oidc.issuer, '--client-id', CLIENT_ID, '--scope', SCOPE, '--profile', profile];
const storeOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'auth.json'), 'utf8')) as { profiles: Record<string, { accessToken: string; refreshToken?: string }> };
/** The profiles with stored tokens ([] when there is no token file). */
const storedProfiles = (dir: string) => (existsSync(join(dir, 'auth.json')) ? Object.keys(storeOf(dir).profiles ?? {}) : []);

describe('orbit login through the binary', () => {
	it('signs in, saves the profile, and orbit --profile sends the access token as the bearer; auth status, then logout revokes', async () => {
		const { dir, env } = freshEnv();
		const login = startOrbit([...loginArgs('work'), '--base-url', fake.url, '--model', 'gw-model'], { cwd: root, env });
		await oidc.approve(await userCodeOf(login), 'ada');
		expect(await login.exit()).toBe(0);
		expect(login.stderr()).toBe('');
		expect(login.stdout()).toContain(`To sign in, open ${oidc.issuer}/device`);
		expect(login.stdout()).toContain('Signed in as Ada <ada@example.com> for profile work.');
		expect(login.stdout()).toContain('Use it with: orbit --profile work');

		expect(statSync(join(dir, 'auth.json')).mode & 0o777).toBe(0o600);
		const { accessToken, refreshToken } = storeOf(dir).profiles.work!;
		expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ profiles: { work: { baseUrl: fake.url, auth: { type: 'login' }, model: 'gw-model' } } });

		const before = fake.requests.length;
		fake.script({ text: 'hello through the gateway' });
		const headless = startOrbit(['-p', 'hi', '--profile', 'work', '--output', 'jsonl'], { cwd: root, env });
		expect(await headless.exit()).toBe(0);
		const [request] = fake.requests.slice(before);
		expect(request!.headers.authorization).toBe(`Bearer ${accessToken}`);
		expect(request!.body.model).toBe('gw-model');

		const status = startOrbit(['auth', 'status'], { cwd: root, env });
		expect(await status.exit()).toBe(0);
		expect(status.stdout()).toMatch(new RegExp(`^work: Ada <ada@example.com> at ${oidc.issuer} — expires in (59|60) min, refreshable\\n$`));

		const logout = startOrbit(['logout', '--profile', 'work'], { cwd: root, env });
		expect(await logout.exit()).toBe(0);
		expect(logout.stdout()).toBe('Revoked the tokens of profile work at the server.\nSigned out of profile work: its tokens are deleted.\n');
		expect(await oidc.userinfoStatus(accessToken)).toBe(401);
		expect(storedProfiles(dir)).toEqual([]);

		const after = startOrbit(['auth', 'status', '--profile', 'work'], { cwd: root, env });
		expect(await after.exit()).toBe(1);
		expect(after.stderr()).toMatch(/^orbit auth: Profile work is not signed in\. Sign in with: orbit login --profile work/);

		const again = startOrbit(['logout', '--profile', 'work'], { cwd: root, env });
		expect(await again.exit()).toBe(1);

		for (const run of [login, headless, status, logout, after, again]) {
			for (const secret of [accessToken, refreshToken!]) expect(run.stdout() + run.stderr()).not.toContain(secret);
		}
	});

	it('access_denied: exit 1 with a clear one-liner, nothing stored or saved', async () => {
		const { dir, env } = freshEnv();
		const login = startOrbit([...loginArgs('work'), '--base-url', fake.url], { cwd: root, env });
		await oidc.deny(await userCodeOf(login));
		expect(await login.exit()).toBe(1);
		expect(login.stderr()).toMatch(/^orbit login: [^\n]*denied[^\n]*\n$/);
		expect(storedProfiles(dir)).toEqual([]);
		expect(existsSync(join(dir, 'config.json'))).toBe(false);
	});

	it('Ctrl+C while waiting for approval: exit 130, nothing stored', async () => {
		const { dir, env } = freshEnv();
		const login = startOrbit([...loginArgs('work'), '--base-url', fake.url], { cwd: root, env });
		await userCodeOf(login);
		login.child.kill('SIGINT');
		expect(await login.exit()).toBe(130);
		expect(login.stderr()).toBe('orbit login: cancelled; nothing was stored.\n');
		expect(storedProfiles(dir)).toEqual([]);
		expect(existsSync(join(dir, 'config.json'))).toBe(false);
	});

	it('bad usage: exit 2 with the usage', async () => {
		const { env } = freshEnv();
		const login = startOrbit(['login', '--issuer', oidc.issuer], { cwd: root, env });
		expect(await login.exit()).toBe(2);
		expect(login.stderr()).toMatch(/^orbit login: say which provider profile this login is for: --profile NAME.*\nUsage: orbit login /);
	});
});
