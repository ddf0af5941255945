import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { bubblewrapArgs, bubblewrapSpawn, cgroupEntryFile, createBubblewrapSandbox, gitBinds, hostUnixSockets, NOBODY, planLayout, type SandboxLayout, threadHop } from '../../source/sandbox/bubblewrap.ts';
import { makeTempDir, removeTempDirs } from '../tools/tool-test-context.ts';

afterEach(removeTempDirs);

const layout: SandboxLayout = {
	bwrap: '/usr/bin/bwrap',
	uid: NOBODY,
	gid: NOBODY,
	home: '/home/dev',
	hiddenDirs: ['/home', '/run', '/tmp', '/home/dev/.config/orbit'],
	hiddenFiles: ['/etc/shadow'],
	toolchains: ['/home/dev/.nvm'],
	resolvDir: '/run/systemd/resolve',
	maxProcesses: 4096,
	disableNestedUserNamespaces: true,
	pidsCgroup: undefined,
};

/** The value after each occurrence of `flag` (one-argument flags) or the pairs (two-argument flags). */
function after(args: string[], flag: string, count = 1): string[] {
	const found: string[] = [];
	args.forEach((arg, index) => {
		if (arg === flag) found.push(args.slice(index + 1, index + 1 + count).join(' '));
	});
	return found;
}

describe('the bubblewrap argv', () => {
	it('unshares everything, maps to an unprivileged uid, drops capabilities and ends with bash -c under a process limit', () => {
		const args = bubblewrapArgs(layout, 'npm test', { cwd: '/srv/repo/pkg', root: '/srv/repo', network: false });
		expect(args.slice(0, 14)).toEqual([
			'--unshare-all', '--unshare-user', '--disable-userns', '--uid', '65534', '--gid', '65534', '--cap-drop', 'ALL', '--die-with-parent', '--new-session', '--ro-bind', '/', '/',
		]);
		expect(args).not.toContain('--share-net');
		expect(args.slice(-4)).toEqual(['--', 'bash', '-c', 'ulimit -u 4096 2>/dev/null; npm test']);
		expect(after(args, '--chdir')).toEqual(['/srv/repo/pkg']);
		expect(after(args, '--setenv', 2)).toContain('HOME /home/dev');
		expect(after(args, '--unsetenv')).toEqual(expect.arrayContaining(['SSH_AUTH_SOCK', 'DBUS_SESSION_BUS_ADDRESS']));
	});

	it('mounts in the order that keeps the repository writable, its .git read-only and the rest hidden', async () => {
		const root = await makeTempDir('orbit-argv-');
		mkdirSync(join(root, '.git'));
		const args = bubblewrapArgs(layout, 'true', { cwd: root, root, network: false });
		const mounts = args
			.map((arg, index) => (['--ro-bind', '--bind', '--tmpfs', '--ro-bind-try', '--dev', '--proc'].includes(arg) ? `${arg} ${args[index + 1]}${arg.includes('bind') ? ` ${args[index + 2]}` : ''}` : undefined))
			.filter((mount) => mount !== undefined);
		expect(mounts).toEqual([
			'--ro-bind / /',
			'--dev /dev',
			'--proc /proc',
			'--tmpfs /home',
			'--tmpfs /run',
			'--tmpfs /tmp',
			'--tmpfs /home/dev',
			'--tmpfs /home/dev/.config/orbit',
			'--ro-bind /dev/null /etc/shadow',
			'--ro-bind-try /home/dev/.nvm /home/dev/.nvm',
			`--bind ${root} ${root}`,
			`--ro-bind ${root}/.git ${root}/.git`,
		]);
	});

	it('with the network allowed, shares it and brings back the resolver under /run', () => {
		const args = bubblewrapArgs(layout, 'true', { cwd: '/srv/repo', root: '/srv/repo', network: true });
		expect(args.slice(0, 3)).toEqual(['--unshare-all', '--share-net', '--unshare-user']);
		expect(after(args, '--ro-bind-try', 2)).toContain('/run/systemd/resolve /run/systemd/resolve');
	});

	it('hides a folder inside the repository after binding it, and never hides the repository itself', () => {
		const inside = { ...layout, hiddenDirs: ['/home', '/home/dev/work/repo/secrets'], home: '/home/dev/work/repo' };
		const args = bubblewrapArgs(inside, 'true', { cwd: '/home/dev/work/repo', root: '/home/dev/work/repo', network: false });
		const bind = args.indexOf('--bind');
		expect(args.indexOf('/home/dev/work/repo/secrets')).toBeGreaterThan(bind);
		expect(after(args, '--tmpfs')).toEqual(['/home', '/home/dev/work/repo/secrets']);
		expect(after(args, '--setenv', 2)).not.toContain('HOME /home/dev/work/repo');
	});

	it('makes host Unix sockets unreachable, after the repository`s bind so those inside it are covered too', () => {
		const args = bubblewrapArgs(layout, 'true', { cwd: '/srv/repo', root: '/srv/repo', network: false, sockets: ['/var/snap/lxd/common/lxd/unix.socket', '/srv/repo/.git/fsmonitor--daemon.ipc'] });
		expect(after(args, '--ro-bind', 2)).toEqual(expect.arrayContaining(['/dev/null /var/snap/lxd/common/lxd/unix.socket', '/dev/null /srv/repo/.git/fsmonitor--daemon.ipc']));
		expect(args.lastIndexOf('/var/snap/lxd/common/lxd/unix.socket')).toBeGreaterThan(args.indexOf('--bind'));
	});

	it('forbids nested user namespaces only where bubblewrap can', () => {
		const old = bubblewrapArgs({ ...layout, disableNestedUserNamespaces: false }, 'true', { cwd: '/r', root: '/r', network: false });
		expect(old).not.toContain('--disable-userns');
	});

	it('enters the pids cgroup first when there is one, keeping bwrap the process-group leader', async () => {
		const v1 = await makeTempDir();
		writeFileSync(join(v1, 'cgroup.procs'), '');
		writeFileSync(join(v1, 'tasks'), '');
		const spawn = bubblewrapSpawn({ ...layout, pidsCgroup: v1 }, 'true', { cwd: '/r', root: '/r', network: false });
		expect(spawn.file).toBe('/bin/sh');
		expect(spawn.args.slice(0, 4)).toEqual(['-c', expect.stringMatching(/^echo 0 > "\$0" .*exec "\$@"$/), join(v1, 'tasks'), '/usr/bin/bwrap']);
		const plain = bubblewrapSpawn(layout, 'true', { cwd: '/r', root: '/r', network: false });
		expect(plain.file).toBe('/usr/bin/bwrap');
		expect(plain.direct).toBeUndefined();
	});

	it('on cgroup v1 also offers bwrap itself, spawned by a thread that enters the cgroup for the spawn and then goes home', async () => {
		const home = await makeTempDir();
		const v1 = join(home, 'orbit-sandbox-1-4096');
		mkdirSync(v1);
		for (const dir of [home, v1]) for (const name of ['tasks', 'cgroup.procs']) writeFileSync(join(dir, name), '');
		const spawn = bubblewrapSpawn({ ...layout, pidsCgroup: v1 }, 'true', { cwd: '/r', root: '/r', network: false });
		expect(spawn.direct?.file).toBe('/usr/bin/bwrap');
		expect(spawn.direct?.args).toEqual(spawn.args.slice(4));
		const leave = spawn.direct!.enter();
		expect(readFileSync(join(v1, 'tasks'), 'utf8')).toBe('0');
		expect(readFileSync(join(home, 'tasks'), 'utf8')).toBe('');
		leave();
		expect(readFileSync(join(home, 'tasks'), 'utf8')).toBe('0');
	});

	it('offers no direct spawn on cgroup v2, where a thread cannot leave its process', async () => {
		const v2 = await makeTempDir();
		writeFileSync(join(v2, 'cgroup.procs'), '');
		const spawn = bubblewrapSpawn({ ...layout, pidsCgroup: v2 }, 'true', { cwd: '/r', root: '/r', network: false });
		expect(spawn.args[2]).toBe(join(v2, 'cgroup.procs'));
		expect(spawn.direct).toBeUndefined();
	});

	it('a thread hop into a cgroup that is gone throws; the way back never does', async () => {
		const dir = await makeTempDir();
		expect(() => threadHop(join(dir, 'gone', 'tasks'), join(dir, 'tasks'))).toThrow(/ENOENT/);
		writeFileSync(join(dir, 'tasks'), '');
		const leave = threadHop(join(dir, 'tasks'), join(dir, 'gone', 'tasks'));
		expect(leave).not.toThrow();
	});

	it('enters a v1 cgroup through tasks (only the writing thread moves) and a v2 one through cgroup.procs', async () => {
		const v1 = await makeTempDir();
		writeFileSync(join(v1, 'cgroup.procs'), '');
		writeFileSync(join(v1, 'tasks'), '');
		const v2 = await makeTempDir();
		writeFileSync(join(v2, 'cgroup.procs'), '');
		expect(cgroupEntryFile(v1)).toBe(join(v1, 'tasks'));
		expect(cgroupEntryFile(v2)).toBe(join(v2, 'cgroup.procs'));
	});

	it('runs nothing when the cgroup cannot be entered, and says why', async () => {
		const gone = join(await makeTempDir(), 'removed-cgroup');
		const spawn = bubblewrapSpawn({ ...layout, pidsCgroup: gone, bwrap: 'echo' }, 'true', { cwd: '/r', root: '/r', network: false });
		const run = spawnSync(spawn.file, spawn.args, { encoding: 'utf8' });
		expect(run.status).toBe(126);
		expect(run.stdout).toBe('');
		expect(run.stderr).toContain(`orbit: cannot enter the sandbox's process-limit cgroup ${join(gone, 'cgroup.procs')}`);
	});
});

describe('hostUnixSockets', () => {
	it('lists bound socket files from /proc/net/unix that exist, outside hidden folders', async () => {
		const dir = realpathSync(await makeTempDir());
		const path = join(dir, 'service.sock');
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(path, resolve));
		try {
			const table = [
				'Num       RefCount Protocol Flags    Type St Inode Path',
				`0000000068559f5e: 00000002 00000000 00010000 0001 01 769889 ${path}`,
				'0000000068559f5f: 00000002 00000000 00010000 0001 01 769890 @abstract-name',
				'0000000068559f60: 00000002 00000000 00010000 0001 01 769891 /nonexistent/gone.sock',
				'0000000068559f61: 00000003 00000000 00000000 0001 03 769892',
			].join('\n');
			expect(hostUnixSockets({ hiddenDirs: [] }, table)).toEqual([path]);
			expect(hostUnixSockets({ hiddenDirs: [dir] }, table)).toEqual([]);
		} finally {
			server.close();
		}
	});
});

describe('gitBinds', () => {
	it('binds a .git folder read-only', async () => {
		const root = await makeTempDir();
		mkdirSync(join(root, '.git'));
		expect(gitBinds(root)).toEqual(['--ro-bind', join(root, '.git'), join(root, '.git')]);
	});

	it('binds a worktree .git file, the git folder it names and that folder`s common dir', async () => {
		const main = await makeTempDir();
		const worktrees = join(main, '.git', 'worktrees', 'feature');
		mkdirSync(worktrees, { recursive: true });
		writeFileSync(join(worktrees, 'commondir'), '../..\n');
		const root = await makeTempDir();
		writeFileSync(join(root, '.git'), `gitdir: ${worktrees}\n`);
		expect(gitBinds(root)).toEqual(['--ro-bind', join(root, '.git'), join(root, '.git'), '--ro-bind', worktrees, worktrees, '--ro-bind', join(main, '.git'), join(main, '.git')]);
	});

	it('has nothing to bind outside git', async () => {
		expect(gitBinds(await makeTempDir())).toEqual([]);
	});
});

describe('planLayout', () => {
	it('hides homes, /run, /tmp, Orbit`s folders and what the user names; brings toolchains on PATH back', async () => {
		const base = await makeTempDir('orbit-layout-');
		const home = join(base, 'home');
		const nvmBin = join(home, '.nvm', 'versions', 'node', 'v20', 'bin');
		const cargoBin = join(home, '.cargo', 'bin');
		const localBin = join(home, '.local', 'bin');
		for (const dir of [nvmBin, cargoBin, localBin, join(home, '.rustup'), join(home, '.config', 'orbit'), join(base, 'tokens')]) mkdirSync(dir, { recursive: true });
		writeFileSync(join(base, 'secret.txt'), 'x');
		const plan = planLayout({
			env: { HOME: home, PATH: [nvmBin, cargoBin, localBin, '/usr/bin'].join(':') },
			hide: [join(base, 'tokens'), join(base, 'secret.txt'), join(base, 'missing')],
			uid: 1000,
			gid: 1000,
		});
		expect(plan.uid).toBe(1000);
		expect(plan.home).toBe(home);
		expect(plan.hiddenDirs).toEqual(expect.arrayContaining(['/tmp', join(home, '.config', 'orbit'), join(base, 'tokens')]));
		// The named file lies in /tmp, which is hidden whole: no second mount for it.
		expect(plan.hiddenFiles).not.toContain(join(base, 'secret.txt'));
		expect(plan.hiddenDirs.concat(plan.hiddenFiles).some((path) => path.includes('missing'))).toBe(false);
		expect(plan.toolchains).toEqual(expect.arrayContaining([join(home, '.nvm'), cargoBin, join(home, '.rustup'), localBin]));
		expect(plan.toolchains).not.toContain(join(home, '.cargo'));
		expect(plan.toolchains).not.toContain(home);
	});

	it('maps root to nobody', () => {
		const plan = planLayout({ uid: 0, gid: 0, env: { HOME: '/root', PATH: '/usr/bin' } });
		expect([plan.uid, plan.gid]).toEqual([NOBODY, NOBODY]);
	});

	it('never binds back a PATH entry that is a hidden folder or holds one', async () => {
		const home = realpathSync(await makeTempDir('orbit-home-'));
		const plan = planLayout({ env: { HOME: home, PATH: `${home}:/tmp:/home:/usr/bin` } });
		expect(plan.toolchains).not.toContain(home);
		expect(plan.toolchains).not.toContain('/tmp');
		expect(plan.toolchains).not.toContain('/home');
	});

	it('follows a symlinked .git to the folder it names', async () => {
		const root = await makeTempDir();
		const elsewhere = await makeTempDir();
		symlinkSync(elsewhere, join(root, '.git'));
		chmodSync(elsewhere, 0o755);
		expect(gitBinds(root)).toEqual(['--ro-bind', elsewhere, elsewhere]);
	});

	it('createBubblewrapSandbox reports itself available and wraps without starting anything', () => {
		const sandbox = createBubblewrapSandbox({ bwrapPath: '/nowhere/bwrap' });
		expect(sandbox.status).toEqual({ kind: 'bubblewrap', available: true });
		expect(sandbox.wrap('echo hi', { cwd: '/r', root: '/r', network: false }).args.at(-1)).toMatch(/; echo hi$/);
	});
});
