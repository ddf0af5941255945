import type { ProjectMemory } from '../source/context/memory.ts';
import type { Tool } from '../source/runtime/tool.ts';
import { editFileTool } from './edit-file.ts';
import { gitCommitTool } from './git-commit.ts';
import { gitDiffTool } from './git-diff.ts';
import { gitLogTool } from './git-log.ts';
import { gitStatusTool } from './git-status.ts';
import { globTool } from './glob.ts';
import { grepTool } from './grep.ts';
import { createMemoryTools } from './memory-tools.ts';
import { planReadTool } from './plan-read.ts';
import { planUpdateTool } from './plan-update.ts';
import { readFileTool } from './read-file.ts';
import { shellTool } from './shell.ts';
import { userSendMessageTool } from './user-send-message.ts';
import { writeFileTool } from './write-file.ts';

/**
 * The built-in tools in a stable order (the order the model sees them in, and the order of the
 * schema snapshot): speaking and planning, memory (when a project memory is given), files, search,
 * shell, git.
 */
export function createBuiltinTools(options: { memory?: Pick<ProjectMemory, 'search' | 'add' | 'remove'> } = {}): Tool[] {
	return [
		userSendMessageTool,
		planReadTool,
		planUpdateTool,
		...(options.memory ? createMemoryTools(options.memory) : []),
		readFileTool,
		writeFileTool,
		editFileTool,
		globTool,
		grepTool,
		shellTool,
		gitStatusTool,
		gitDiffTool,
		gitLogTool,
		gitCommitTool,
	];
}
