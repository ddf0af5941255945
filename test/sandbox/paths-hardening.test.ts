import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSecretPath, resolveInsideRoot } from '../../source/sandbox/paths.ts';
import { callTool, makeContext, makeTempDir, removeTempDirs } from '../tools/tool-test-context.ts';

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
	await removeTempDirs();
});

async function setup() {
	const root = await makeTempDir();
	const outside = await makeTempDir('orbit-outside-');
	await mkdir(join(root, 'src'));
	await writeFile(join(root, 'src', 'a.ts'), 'a');
	await writeFile(join(outside, 'secret.txt'), 'TOP SECRET');
	return { root, outside };
}

describe('pseudo-filesystems', () => {
	it('refuses /proc/self/root and /proc/self/cwd spellings of a path inside the repository', async () => {
		const { root } = await setup();
		expect(() => resolveInsideRoot(root, `/proc/self/root${root}/src/a.ts`)).toThrow(/outside the repository/);
		expect(() => resolveInsideRoot(root, '/proc/self/cwd/src/a.ts')).toThrow(/outside the repository/);
	});

	it('refuses symbolic links that go through /proc even when they end inside', async () => {
		const { root } = await setup();
		await symlink(`/proc/self/root${root}/src`, join(root, 'via-root'));
		await symlink(`/proc/1/root${root}`, join(root, 'via-pid1'));
		await symlink('/proc/self/cwd', join(root, 'via-cwd'));
		await symlink('via-root', join(root, 'chained'));
		for (const path of ['via-root/a.ts', 'via-pid1/src/a.ts', 'via-cwd/src/a.ts', 'chained/a.ts', 'via-root/new.ts']) {
			expect(() => resolveInsideRoot(root, path), path).toThrow(/leads into \/proc through a symbolic link/);
			expect(() => resolveInsideRoot(root, path, { forWrite: true }), path).toThrow(/\/proc/);
		}
	});

	it('refuses links to /sys and /dev', async () => {
		const { root } = await setup();
		await symlink('/sys/kernel', join(root, 'sys'));
		await symlink('/dev/zero', join(root, 'zero'));
		await symlink('/dev/stdin', join(root, 'stdin'));
		expect(() => resolveInsideRoot(root, 'sys/hostname')).toThrow(/\/sys/);
		expect(() => resolveInsideRoot(root, 'zero')).toThrow(/outside the repository|\/proc/);
		expect(() => resolveInsideRoot(root, 'stdin')).toThrow(/outside the repository|\/proc/);
	});
});

describe('physical resolution', () => {
	it('applies .. in a link target to the real folder, as the kernel does', async () => {
		const { root, outside } = await setup();
		await mkdir(join(root, 'dir', 'inner'), { recursive: true });
		await writeFile(join(root, 'dir', 'file.txt'), 'x');
		await symlink('dir/inner', join(root, 'l1'));
		await symlink('l1/../file.txt', join(root, 'l2'));
		expect(resolveInsideRoot(root, 'l2')).toBe(join(root, 'dir', 'file.txt'));
		await mkdir(join(outside, 'deep'));
		await symlink(join(outside, 'deep'), join(root, 'out'));
		// Lexically `out/../secret.txt` is `<root>/secret.txt`; physically it is outside.
		await symlink('out/../secret.txt', join(root, 'sneaky'));
		expect(() => resolveInsideRoot(root, 'sneaky')).toThrow(/outside the repository through a symbolic link/);
	});

	it('still stops symbolic link loops', async () => {
		const { root } = await setup();
		await symlink('loop-b', join(root, 'loop-a'));
		await symlink('loop-a', join(root, 'loop-b'));
		expect(() => resolveInsideRoot(root, 'loop-a/x')).toThrow(/Too many symbolic links/);
	});
});

describe('special files inside the repository', () => {
	it('refuses a FIFO for reading and writing, and read_file answers at once instead of blocking', async () => {
		const { root } = await setup();
		execFileSync('mkfifo', [join(root, 'pipe')]);
		expect(() => resolveInsideRoot(root, 'pipe')).toThrow(/is a FIFO \(named pipe\); file tools only read and write regular files/);
		expect(() => resolveInsideRoot(root, 'pipe', { forWrite: true })).toThrow(/FIFO/);
		const result = await callTool(makeContext(root), 'read_file', { path: 'pipe' });
		expect(result).toMatchObject({ isError: true, content: expect.stringContaining('FIFO') });
		const write = await callTool(makeContext(root), 'write_file', { path: 'pipe', content: 'x' });
		expect(write).toMatchObject({ isError: true, content: expect.stringContaining('FIFO') });
	});

	it('refuses a socket', async () => {
		const { root } = await setup();
		const server = createServer();
		servers.push(server);
		await new Promise<void>((resolve) => server.listen(join(root, 'agent.sock'), resolve));
		expect(() => resolveInsideRoot(root, 'agent.sock')).toThrow(/is a socket/);
	});

	it('refuses a device node (where this machine lets us make one)', async (context) => {
		const { root } = await setup();
		try {
			execFileSync('mknod', [join(root, 'null'), 'c', '1', '3'], { stdio: 'ignore' });
		} catch {
			context.skip();
		}
		expect(() => resolveInsideRoot(root, 'null')).toThrow(/is a character device/);
	});

	it('lets regular files and folders through, and files that do not exist yet', async () => {
		const { root } = await setup();
		expect(resolveInsideRoot(root, 'src')).toBe(join(root, 'src'));
		expect(resolveInsideRoot(root, 'src/a.ts', { forWrite: true })).toBe(join(root, 'src', 'a.ts'));
		expect(resolveInsideRoot(root, 'src/new/b.ts', { forWrite: true })).toBe(join(root, 'src', 'new', 'b.ts'));
	});
});

describe('.git', () => {
	it('is readable but never writable, in any spelling', async () => {
		const { root } = await setup();
		await mkdir(join(root, '.git', 'refs'), { recursive: true });
		await writeFile(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
		await symlink('.git', join(root, 'g'));
		expect(resolveInsideRoot(root, '.git/HEAD')).toBe(join(root, '.git', 'HEAD'));
		for (const path of ['.git/HEAD', '.GIT/hooks/pre-commit', 'g/config', './src/../.git/refs/x']) {
			expect(() => resolveInsideRoot(root, path, { forWrite: true }), path).toThrow(/inside a \.git folder/);
		}
	});
});

describe('isSecretPath', () => {
	it.each([
		'.env',
		'.env.local',
		'config/.env.production',
		'.envrc',
		'certs/server.pem',
		'tls/server.KEY',
		'id_rsa',
		'keys/id_ed25519',
		'id_ecdsa_work',
		'.npmrc',
		'.netrc',
		'.pypirc',
		'.git-credentials',
		'.aws/credentials',
		'home/.ssh/known_hosts',
		'credentials.json',
		'store.p12',
		'.git/config',
		'.git/modules/lib/config',
	])('%s looks secret', (path) => {
		expect(isSecretPath(path)).toBe(true);
	});

	it.each(['.env.example', '.env.sample', 'id_rsa.pub', 'src/env.ts', 'environment.md', 'keys.ts', 'config', 'src/config', '.git/HEAD', 'README.md', '.', ''])('%s does not', (path) => {
		expect(isSecretPath(path)).toBe(false);
	});
});
