import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import * as z from 'zod';
import { userConfigDir } from '../config-file.ts';
import { type LockOptions, withFileLock } from './lock.ts';

/** The token file's name in the user's config folder. */
export const TOKEN_FILE = 'auth.json';

const whoSchema = z.object({ subject: z.string().optional(), email: z.string().optional(), name: z.string().optional() });

const recordSchema = z.object({
	accessToken: z.string().min(1),
	tokenType: z.string(),
	refreshToken: z.string().optional(),
	/** Epoch ms; absent when the server gave no lifetime. */
	expiresAt: z.number().optional(),
	scope: z.string().optional(),
	clientId: z.string(),
	issuer: z.string().optional(),
	tokenEndpoint: z.string(),
	/** Where the login began; lets a later `orbit login --profile NAME` sign in again without flags. */
	deviceAuthorizationEndpoint: z.string().optional(),
	revocationEndpoint: z.string().optional(),
	userinfoEndpoint: z.string().optional(),
	who: whoSchema.optional(),
	/** Epoch ms of the login or the last refresh. */
	obtainedAt: z.number(),
});

const fileSchema = z.object({ profiles: z.record(z.string(), recordSchema) });

/** Who signed in, for display: from the id_token's claims or userinfo. Not verified. */
export type Who = z.infer<typeof whoSchema>;
/** One profile's login. `accessToken` and `refreshToken` are secrets: never print them. */
export type TokenRecord = z.infer<typeof recordSchema>;

/** The token file cannot be read or locked; the message names the file and never holds a token. */
export class TokenStoreError extends Error {
	override name = 'TokenStoreError';
	constructor(
		message: string,
		readonly file: string,
	) {
		super(message);
	}
}

export interface TokenStoreOptions {
	env?: NodeJS.ProcessEnv;
	/** Folder of the token file; default `userConfigDir(env)`. */
	dir?: string;
	lock?: LockOptions;
}

/**
 * The device-flow tokens of every profile, in `auth.json` in the user's config folder, written with
 * `conf`: the file is 0600 and its folder is made (or tightened to) 0700. Reads take no lock (writes
 * are atomic renames); every change is a read-modify-write under `auth.json.lock`, so concurrent
 * Orbit processes never lose each other's writes. A corrupt file is never deleted or overwritten:
 * every access throws `TokenStoreError` naming it.
 */
export class TokenStore {
	readonly dir: string;
	readonly path: string;
	readonly lockPath: string;
	readonly #lock: LockOptions;
	#conf: Conf<Record<string, unknown>> | undefined;

	constructor(options: TokenStoreOptions = {}) {
		this.dir = options.dir ?? userConfigDir(options.env);
		this.path = join(this.dir, TOKEN_FILE);
		this.lockPath = `${this.path}.lock`;
		this.#lock = options.lock ?? {};
	}

	/** One profile's record, or undefined. */
	get(profile: string): TokenRecord | undefined {
		const profiles = this.#read();
		return Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
	}

	/** Every profile's record, by profile name. */
	list(): Record<string, TokenRecord> {
		return this.#read();
	}

	/** Stores `record` as `profile`'s, replacing any before. */
	async set(profile: string, record: TokenRecord): Promise<void> {
		await this.update((profiles) => {
			profiles[profile] = record;
		});
	}

	/** Removes `profile`'s record; false when there was none. */
	async delete(profile: string): Promise<boolean> {
		return this.update((profiles) => (Object.hasOwn(profiles, profile) ? delete profiles[profile] : false));
	}

	/**
	 * Under the lock: reads the file afresh, lets `change` edit the records (it may await, e.g. a
	 * refresh), writes them back if it did not throw, and returns what `change` returned.
	 */
	async update<T>(change: (profiles: Record<string, TokenRecord>) => T | Promise<T>): Promise<T> {
		this.#prepareFolder();
		return withFileLock(
			this.lockPath,
			async () => {
				const profiles = this.#read();
				const result = await change(profiles);
				this.#write(profiles);
				return result;
			},
			this.#lock,
		);
	}

	#open(): Conf<Record<string, unknown>> {
		if (this.#conf) return this.#conf;
		this.#prepareFolder();
		try {
			this.#conf = new Conf<Record<string, unknown>>({
				cwd: this.dir,
				configName: 'auth',
				configFileMode: 0o600,
				accessPropertiesByDotNotation: false,
				clearInvalidConfig: false,
			});
		} catch (error) {
			throw this.#corrupt(error);
		}
		return this.#conf;
	}

	#read(): Record<string, TokenRecord> {
		let data: unknown;
		try {
			data = this.#open().store;
		} catch (error) {
			throw error instanceof TokenStoreError ? error : this.#corrupt(error);
		}
		if (data && typeof data === 'object' && Object.keys(data).length === 0) return {};
		const parsed = fileSchema.safeParse(data);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
			throw new TokenStoreError(`${this.path} is not a valid Orbit token file (${issue?.message ?? 'unexpected content'}${where}); move it away, then run orbit login again`, this.path);
		}
		return parsed.data.profiles;
	}

	#write(profiles: Record<string, TokenRecord>): void {
		const conf = this.#open();
		conf.store = { profiles };
		try {
			chmodSync(this.path, 0o600);
		} catch {
			// conf wrote it with 0600 already; this only repairs a file made before.
		}
	}

	#prepareFolder(): void {
		try {
			mkdirSync(this.dir, { recursive: true, mode: 0o700 });
			if ((statSync(this.dir).mode & 0o077) !== 0) chmodSync(this.dir, 0o700);
		} catch (error) {
			throw new TokenStoreError(`cannot prepare the folder ${this.dir} for ${TOKEN_FILE}: ${(error as Error).message}`, this.path);
		}
	}

	#corrupt(error: unknown): TokenStoreError {
		const reason = error instanceof SyntaxError ? 'it is not valid JSON' : (error as Error)?.message ?? String(error);
		return new TokenStoreError(`cannot read ${this.path}: ${reason}. The file was left as it is; move it away, then run orbit login again`, this.path);
	}
}
