import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { delay } from './oauth-http.ts';

export interface LockOptions {
	/** How long to wait for another holder before giving up. Default 45 000 ms. */
	timeoutMs?: number;
	/** A lock older than this is taken over even if its holder seems alive. Default 60 000 ms. */
	staleMs?: number;
	signal?: AbortSignal;
}

/** The lock could not be taken in time; the message names the file and its holder. */
export class LockError extends Error {
	override name = 'LockError';
	constructor(
		message: string,
		readonly file: string,
	) {
		super(message);
	}
}

const RETRY_MS = 15;

/**
 * Runs `fn` while holding the lock file `lockPath`, created with O_EXCL (0600) and holding
 * `{ pid, nonce, at }`. A lock whose holder's pid is dead, or older than `staleMs`, is removed and
 * retaken. Waits up to `timeoutMs`, then throws `LockError`. Releases only its own lock, also when
 * `fn` throws. Not re-entrant: a holder must not take the same lock again.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
	const nonce = await acquire(lockPath, options);
	try {
		return await fn();
	} finally {
		release(lockPath, nonce);
	}
}

async function acquire(lockPath: string, options: LockOptions): Promise<string> {
	const timeoutMs = options.timeoutMs ?? 45_000;
	const staleMs = options.staleMs ?? 60_000;
	const deadline = Date.now() + timeoutMs;
	const nonce = randomUUID();
	for (;;) {
		try {
			const fd = openSync(lockPath, 'wx', 0o600);
			try {
				writeSync(fd, JSON.stringify({ pid: process.pid, nonce, at: new Date().toISOString() }));
			} finally {
				closeSync(fd);
			}
			return nonce;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new LockError(`cannot create the lock ${lockPath}: ${(error as Error).message}`, lockPath);
		}
		const holder = readHolder(lockPath);
		if (holder && isStale(holder, staleMs)) {
			removeIfUnchanged(lockPath, holder.raw);
			continue;
		}
		if (Date.now() >= deadline) {
			const who = holder?.pid ? `Orbit process ${holder.pid}` : 'another Orbit process';
			throw new LockError(`${who} holds ${lockPath}; waited ${Math.round(timeoutMs / 1000)} s. Try again, or remove the file if no Orbit is running`, lockPath);
		}
		await delay(RETRY_MS + Math.floor(Math.random() * RETRY_MS), options.signal);
	}
}

interface Holder {
	raw: string;
	pid?: number;
	nonce?: string;
	mtimeMs: number;
}

function readHolder(lockPath: string): Holder | undefined {
	try {
		const raw = readFileSync(lockPath, 'utf8');
		const { mtimeMs } = statSync(lockPath);
		let parsed: { pid?: unknown; nonce?: unknown } = {};
		try {
			parsed = JSON.parse(raw);
		} catch {
			// Being written, or garbage: only its age can make it stale.
		}
		return {
			raw,
			mtimeMs,
			pid: typeof parsed.pid === 'number' ? parsed.pid : undefined,
			nonce: typeof parsed.nonce === 'string' ? parsed.nonce : undefined,
		};
	} catch {
		return undefined;
	}
}

function isStale(holder: Holder, staleMs: number): boolean {
	if (Date.now() - holder.mtimeMs > staleMs) return true;
	return holder.pid !== undefined && !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function removeIfUnchanged(lockPath: string, raw: string): void {
	try {
		if (readFileSync(lockPath, 'utf8') === raw) unlinkSync(lockPath);
	} catch {
		// Gone already: someone else cleaned it.
	}
}

function release(lockPath: string, nonce: string): void {
	const holder = readHolder(lockPath);
	if (holder?.nonce === nonce) removeIfUnchanged(lockPath, holder.raw);
}
