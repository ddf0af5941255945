import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockError, withFileLock } from '../../source/auth/lock.ts';
import { type TokenRecord, TokenStore, TokenStoreError } from '../../source/auth/token-store.ts';
import { waitUntil } from '../fixtures/scripted-model.ts';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'orbit-auth-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const record = (accessToken: string): TokenRecord => ({
	accessToken,
	tokenType: 'Bearer',
	refreshToken: `refresh-${accessToken}`,
	expiresAt: Date.now() + 3_600_000,
	clientId: 'orbit-cli',
	tokenEndpoint: 'http://127.0.0.1:1/token',
	obtainedAt: Date.now(),
});

function runNode(code: string): Promise<{ code: number | null; stderr: string; pid: number }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
		});
		child.on('error', reject);
		child.on('close', (exitCode) => resolve({ code: exitCode, stderr, pid: child.pid ?? -1 }));
	});
}

describe('token store', () => {
	it('keeps records by profile in auth.json in the config folder, owner-only', async () => {
		const configDir = join(dir, 'config');
		const store = new TokenStore({ env: { ORBIT_CONFIG_DIR: configDir } });
		expect(store.path).toBe(join(configDir, 'auth.json'));
		expect(store.get('work')).toBeUndefined();
		await store.set('work', record('a1'));
		await store.set('home.lab', record('b1'));
		expect((await stat(store.path)).mode & 0o777).toBe(0o600);
		expect((await stat(configDir)).mode & 0o777).toBe(0o700);
		const again = new TokenStore({ dir: configDir });
		expect(again.get('work')?.accessToken).toBe('a1');
		expect(Object.keys(again.list()).sort()).toEqual(['home.lab', 'work']);
		expect(await again.delete('work')).toBe(true);
		expect(await again.delete('work')).toBe(false);
		expect(Object.keys(store.list())).toEqual(['home.lab']);
		expect((await stat(store.path)).mode & 0o777).toBe(0o600);
	});

	it('tightens a file and folder others could read', async () => {
		const store = new TokenStore({ dir });
		await writeFile(store.path, JSON.stringify({ profiles: {} }), { mode: 0o644 });
		await import('node:fs/promises').then((fs) => fs.chmod(dir, 0o755));
		await store.set('work', record('a1'));
		expect((await stat(store.path)).mode & 0o777).toBe(0o600);
		expect((await stat(dir)).mode & 0o777).toBe(0o700);
	});

	it('names a corrupt file, leaves it alone and puts none of its content in the error', async () => {
		const store = new TokenStore({ dir });
		const corrupt = '{"profiles": {"work": {"accessToken": "secret-access-token-123"';
		await writeFile(store.path, corrupt, { mode: 0o600 });
		expect(() => store.get('work')).toThrow(TokenStoreError);
		let message = '';
		try {
			store.list();
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain(store.path);
		expect(message).toMatch(/not valid JSON.*left as it is/);
		expect(message).not.toContain('secret-access-token-123');
		await expect(store.set('other', record('x'))).rejects.toThrow(TokenStoreError);
		expect(await readFile(store.path, 'utf8')).toBe(corrupt);
	});

	it('rejects a JSON file of the wrong shape, naming it', async () => {
		const store = new TokenStore({ dir });
		await writeFile(store.path, JSON.stringify({ profiles: { work: { accessToken: 42 } } }));
		expect(() => store.get('work')).toThrow(new RegExp(`${store.path.replaceAll('.', '\\.')} is not a valid Orbit token file.*profiles\\.work`));
	});

	it('keeps every write of two processes writing at once', async () => {
		const storeModule = join(import.meta.dirname, '../../source/auth/token-store.ts');
		// Both start together (a go file), and each holds its read-modify-write open a little, so that
		// without the lock their writes would overwrite each other's.
		const writer = (name: string) => `
			const { existsSync, writeFileSync } = await import('node:fs');
			const { TokenStore } = await import(${JSON.stringify(storeModule)});
			const store = new TokenStore({ dir: ${JSON.stringify(dir)} });
			writeFileSync(${JSON.stringify(dir)} + '/ready-${name}', '');
			while (!existsSync(${JSON.stringify(dir)} + '/go')) await new Promise((resolve) => setTimeout(resolve, 5));
			for (let i = 0; i < 15; i++) {
				await store.update(async (profiles) => {
					profiles['${name}-' + i] = { accessToken: '${name}' + i, tokenType: 'Bearer', clientId: 'c', tokenEndpoint: 'http://127.0.0.1:1/token', obtainedAt: Date.now() };
					await new Promise((resolve) => setTimeout(resolve, 5));
				});
			}`;
		const children = Promise.all([runNode(writer('a')), runNode(writer('b'))]);
		await waitUntil(() => existsSync(join(dir, 'ready-a')) && existsSync(join(dir, 'ready-b')), 'both writers ready', 20_000);
		await writeFile(join(dir, 'go'), '');
		const [first, second] = await children;
		expect(first.stderr).toBe('');
		expect(second.stderr).toBe('');
		expect([first.code, second.code]).toEqual([0, 0]);
		const names = Object.keys(new TokenStore({ dir }).list());
		expect(names).toHaveLength(30);
		for (let i = 0; i < 15; i++) expect(names).toEqual(expect.arrayContaining([`a-${i}`, `b-${i}`]));
	});

	it("takes over a lock whose holder's process is dead", async () => {
		const dead = await runNode('');
		const lockPath = join(dir, 'auth.json.lock');
		await writeFile(lockPath, JSON.stringify({ pid: dead.pid, nonce: 'old', at: new Date().toISOString() }));
		const store = new TokenStore({ dir, lock: { timeoutMs: 2_000 } });
		await store.set('work', record('a1'));
		expect(store.get('work')?.accessToken).toBe('a1');
		await expect(stat(lockPath)).rejects.toThrow(/ENOENT/);
	});

	it('gives up with a clear error when a live process keeps the lock', async () => {
		const lockPath = join(dir, 'auth.json.lock');
		await writeFile(lockPath, JSON.stringify({ pid: process.pid, nonce: 'other', at: new Date().toISOString() }));
		const store = new TokenStore({ dir, lock: { timeoutMs: 200 } });
		const error = await store.set('work', record('a1')).catch((caught: Error) => caught);
		expect(error).toBeInstanceOf(LockError);
		expect((error as Error).message).toBe(`Orbit process ${process.pid} holds ${lockPath}; waited 0 s. Try again, or remove the file if no Orbit is running`);
		// Not ours: left in place.
		expect(JSON.parse(await readFile(lockPath, 'utf8')).nonce).toBe('other');
	});

	it('releases the lock when the work inside fails', async () => {
		const lockPath = join(dir, 'x.lock');
		await expect(withFileLock(lockPath, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await withFileLock(lockPath, async () => 'again', { timeoutMs: 100 })).toBe('again');
	});
});
