import { join } from 'node:path';
import { findRoot } from '../source/config.ts';
import { userConfigDir } from '../source/config-file.ts';
import { AGENT_FILE_NAMES, createProjectContext, type ProjectContext } from '../source/context/agent-files.ts';
import { formatBytes } from '../source/context/agent-file-budget.ts';
import { errorMessage } from '../source/runtime/events.ts';
import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';
import type { Subcommand } from './doctor.ts';

/**
 * What `/context` and `orbit context` print: every AGENT.md file and import loaded, with why and how
 * much of it, then the warnings (cycles, escapes, depth, secrets, missing imports, truncation). Pure.
 */
export function formatContextReport(project: ProjectContext): string {
	const files = project.files();
	const warnings = project.warnings();
	const lines: string[] = [];
	if (files.length === 0) {
		const global = project.globalDir === undefined ? '' : `${join(project.globalDir, AGENT_FILE_NAMES[0])}, then `;
		lines.push(
			`No AGENT.md files loaded. Orbit reads ${global}AGENT.md (or AGENTS.md) in each folder from the repository root to the working directory; another folder's file loads the first time a tool touches a path in it.`,
		);
	} else {
		lines.push(`AGENT.md files loaded: ${files.length}, ${formatBytes(project.usedBytes())} of ${formatBytes(project.maxBytes)}.`);
		const width = Math.min(48, Math.max(...files.map((file) => file.path.length)));
		for (const file of files) {
			const size = file.truncated ? (file.bytes === 0 ? `left out, ${formatBytes(file.size)}` : `cut to ${formatBytes(file.bytes)} of ${formatBytes(file.size)}`) : formatBytes(file.size);
			lines.push(`  ${file.path.padEnd(width)}  ${file.reason}; ${size}`);
		}
	}
	if (warnings.length > 0) {
		lines.push('Warnings:');
		for (const warning of warnings) lines.push(`  - ${warning.message}`);
	}
	return lines.join('\n');
}

/** `/context`: which AGENT.md files were loaded and why. */
export const contextCommand: SlashCommand = {
	name: 'context',
	summary: 'Show which AGENT.md files were loaded and why',
	run(args, ctx) {
		if (args !== '') return notice(`/context takes no arguments (got "${args}").`, 'error');
		if (ctx.projectContext === undefined) return notice('This session has no project context (AGENT.md discovery is off).', 'warning');
		return notice(formatContextReport(ctx.projectContext), ctx.projectContext.warnings().length > 0 ? 'warning' : 'info');
	},
};

/**
 * `orbit context`: the AGENT.md files a session started in `cwd()` (default: the process's working
 * directory) would load, with the reasons and warnings. Exit 0; 1 when the folder cannot be read;
 * 2 for arguments (it takes none). Never throws.
 */
export function createContextSubcommand(cwd: () => string = () => process.cwd()): Subcommand {
	return {
		name: 'context',
		summary: 'List the AGENT.md files a session here would load, and why',
		async run(argv, io) {
			if (argv.length > 0) {
				io.stderr.write(`orbit context: unknown argument "${argv[0]}" (orbit context takes none)\n`);
				return 2;
			}
			let project: ProjectContext;
			try {
				const { root, cwd: real } = findRoot(cwd());
				project = createProjectContext({ root, cwd: real, globalDir: userConfigDir(io.env) });
			} catch (error) {
				io.stderr.write(`orbit context: ${errorMessage(error)}\n`);
				return 1;
			}
			io.stdout.write(`Repository: ${project.root}${project.cwd === project.root ? '' : `\nWorking directory: ${project.cwd}`}\n${formatContextReport(project)}\n`);
			return 0;
		},
	};
}

/** `orbit context` in the process's working directory. */
export const contextSubcommand: Subcommand = createContextSubcommand();
