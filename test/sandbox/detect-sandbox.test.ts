import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareVersions, detectSandbox, diagnose } from '../../source/sandbox/detect-sandbox.ts';
import { makeTempDir, removeTempDirs } from '../tools/tool-test-context.ts';

afterEach(removeTempDirs);

const settings = (values: Record<string, string>) => (name: string) => values[name];

describe('diagnose', () => {
	it('names AppArmor`s restriction and how to lift it', () => {
		const found = diagnose('exit 1', 'bwrap: setting up uid map: Permission denied\n', settings({ 'kernel/apparmor_restrict_unprivileged_userns': '1' }));
		expect(found).toMatchObject({ kind: 'none', available: false });
		expect(found.reason).toMatch(/^AppArmor restricts unprivileged user namespaces .*: bwrap: setting up uid map: Permission denied$/);
		expect(found.fix).toContain('apparmor_parser');
		expect(found.fix).toContain('kernel.apparmor_restrict_unprivileged_userns=0');
	});

	it('names disabled user namespaces and the sysctl that enables them', () => {
		const clone = diagnose('exit 1', 'bwrap: No permissions to creating new namespace', settings({ 'kernel/unprivileged_userns_clone': '0' }));
		expect(clone.reason).toMatch(/unprivileged user namespaces are disabled/);
		expect(clone.fix).toContain('sysctl -w kernel.unprivileged_userns_clone=1');
		const max = diagnose('exit 1', 'bwrap: No permissions to creating new namespace', settings({ 'user/max_user_namespaces': '0' }));
		expect(max.fix).toContain('user.max_user_namespaces=15000');
	});

	it('points at the container profile when namespaces are refused for another reason', () => {
		const found = diagnose('exit 1', 'bwrap: Creating new namespace failed: Operation not permitted', settings({}));
		expect(found.reason).toBe('bwrap cannot create its namespaces: bwrap: Creating new namespace failed: Operation not permitted');
		expect(found.fix).toMatch(/seccomp=unconfined/);
		expect(found.fix).toMatch(/every shell command asks for approval/);
	});
});

describe('detectSandbox', () => {
	it('says how to install bubblewrap when it is missing', async () => {
		const found = await detectSandbox({ env: { PATH: '/nonexistent' }, bwrapPath: '/nonexistent/bwrap' });
		expect(found).toMatchObject({ kind: 'none', available: false });
		expect(found.sandbox).toBeUndefined();
		expect(found.fix).toMatch(/apt-get install bubblewrap/);
	});

	it('says there is no sandbox off Linux', async () => {
		const found = await detectSandbox({ platform: 'darwin' });
		expect(found).toMatchObject({ kind: 'none', available: false });
		expect(found.reason).toMatch(/no sandbox on darwin/);
	});

	it('reports a bwrap that cannot start, with its message', async () => {
		const dir = await makeTempDir();
		const fake = join(dir, 'bwrap');
		writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && { echo "bubblewrap 0.8.0"; exit 0; }\necho "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n');
		chmodSync(fake, 0o755);
		const found = await detectSandbox({ bwrapPath: fake });
		expect(found.available).toBe(false);
		expect(found.reason).toMatch(/No permissions to creating new namespace/);
		expect(found.fix).toBeTruthy();
	});

	it('proves the real bubblewrap works here, once per process', async () => {
		if (process.platform !== 'linux') return;
		const first = await detectSandbox();
		expect(first, `${first.reason}\n${first.fix}`).toMatchObject({ kind: 'bubblewrap', available: true });
		expect(first.sandbox?.status.available).toBe(true);
		// As root the kernel ignores RLIMIT_NPROC: a pids cgroup bounds commands where one is writable.
		expect(process.getuid?.() === 0 ? ['cgroup', 'none'] : ['rlimit']).toContain(first.processLimit);
		expect(await detectSandbox()).toBe(first);
	});

	it('compares versions', () => {
		expect(compareVersions('0.8.0', '0.8.0')).toBe(0);
		expect(compareVersions('0.10.0', '0.8.0')).toBeGreaterThan(0);
		expect(compareVersions('0.6.1', '0.8')).toBeLessThan(0);
	});
});
