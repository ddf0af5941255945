export interface SystemPromptInput {
	root: string;
	cwd: string;
	permission: string;
	date?: string;
	/** Further blocks (AGENT.md files, agreements), each appended under its own heading. */
	sections?: { title: string; body: string }[];
}

/**
 * The system prompt: who the agent is, how it works (plan → step → review), how it reaches the user
 * and what the labels on incoming messages mean. Kept short on purpose: it is paid on every request.
 */
export function buildSystemPrompt(input: SystemPromptInput): string {
	const lines = [
		'You are Orbit, an autonomous coding agent working in a repository through tools.',
		'Work: plan with plan_update (one step Active), do a step, review and adjust the plan, continue; at the end review the results.',
		'Your plain text is private thinking the user may glance at. To tell or ask the user anything, call user_send_message; report the outcome that way before you stop.',
		'Stop (answer with no tool call) when done or waiting for the user.',
		'Messages arrive while you work: plain ones are from the user; [source] labels others; [interruption] means drop what you were doing and address it first. "[interrupted]" marks your output that was cut off.',
		'Prefer edit_file over rewriting files. Read before editing. Keep changes minimal; verify with tests when they exist.',
		`Repository: ${input.root}${input.cwd !== input.root ? `\nWorking directory: ${input.cwd}` : ''}`,
		`Permission mode: ${input.permission}. Date: ${input.date ?? new Date().toISOString().slice(0, 10)}.`,
	];
	for (const section of input.sections ?? []) lines.push('', `# ${section.title}`, section.body.trim());
	return lines.join('\n');
}
