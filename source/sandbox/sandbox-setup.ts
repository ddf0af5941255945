import { detectSandbox } from './detect-sandbox.ts';
import type { Sandbox } from './sandbox.ts';

export interface SandboxSetup {
	sandbox: Sandbox | undefined;
	/** For the permission policy: false makes every command ask (never silently unconfined). */
	shellSandboxed: boolean;
	/** For the status line: `bubblewrap`, or `none`. */
	label: string;
	/** Why there is no sandbox and how to fix it; undefined when there is one. */
	problem: string | undefined;
}

/**
 * Finds the OS sandbox for shell commands once per process. `network: true` (the user's
 * `--allow-network`) lets sandboxed commands reach the network; nothing the model sends can.
 * Never rejects.
 */
export async function setUpSandbox(options: { network?: boolean } = {}): Promise<SandboxSetup> {
	const detection = await detectSandbox();
	if (detection.available && detection.sandbox) {
		const inner = detection.sandbox;
		const sandbox: Sandbox = options.network ? { status: inner.status, wrap: (command, wrapOptions) => inner.wrap(command, { ...wrapOptions, network: true }) } : inner;
		return { sandbox, shellSandboxed: true, label: options.network ? 'bubblewrap + network' : 'bubblewrap', problem: undefined };
	}
	const problem = `No sandbox for shell commands: ${detection.reason ?? 'unknown reason'}. ${detection.fix ?? ''} Until then every command asks first (orbit doctor explains).`.trim();
	return { sandbox: undefined, shellSandboxed: false, label: 'none', problem };
}
