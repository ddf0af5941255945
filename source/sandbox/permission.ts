import type { PermissionDecision, PermissionPolicy, Tool } from '../runtime/tool.ts';

export const PERMISSION_MODES = ['read-only', 'ask', 'auto', 'full'] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];

export function isPermissionMode(value: unknown): value is PermissionMode {
	return typeof value === 'string' && (PERMISSION_MODES as readonly string[]).includes(value);
}

export interface ApprovalRequest {
	tool: string;
	access: Tool['access'];
	args: unknown;
}

/** Asks a person. Absent in headless mode, where every `ask` becomes a denial the model can read. */
export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<PermissionDecision>;

/**
 * The permission modes of PRODUCT §7: `read-only` runs only reading tools; `ask` runs reads and asks
 * for the rest; `auto` and `full` run everything. Only the user sets the mode; no tool can change it.
 */
export function createPermissionPolicy(mode: PermissionMode, approver?: Approver): PermissionPolicy {
	return {
		mode,
		async check(tool: Tool, args: unknown, signal: AbortSignal): Promise<PermissionDecision> {
			if (tool.access === 'read') return { allow: true };
			if (mode === 'read-only') {
				return { allow: false, reason: `the session is read-only; ${tool.name} changes files or runs commands. Describe the change to the user instead.` };
			}
			if (mode === 'auto' || mode === 'full') return { allow: true };
			if (!approver) {
				return {
					allow: false,
					reason: `${tool.name} needs the user's approval, and no one can approve in this headless session (the user may rerun with --permission auto). Continue with read-only tools or tell the user what you would do.`,
				};
			}
			return approver({ tool: tool.name, access: tool.access, args }, signal);
		},
	};
}
