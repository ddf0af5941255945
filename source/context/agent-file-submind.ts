import type { Submind } from '../runtime/submind.ts';
import type { ProjectContext, TouchedAgentFile } from './agent-files.ts';

/** The item source of AGENT.md files loaded on first touch. */
export const CONTEXT_FILE_SOURCE = 'context-file';

/**
 * Loads a folder's AGENT.md the first time a tool touches a path inside that folder (PRODUCT §3):
 * on every `path-touched` event it asks `project.loadFor` and puts each new file in the bucket as a
 * ForNextTurn item with source `context-file`, so it reaches the model at the next safe point.
 */
export function createAgentFileSubmind(project: ProjectContext): Submind {
	return {
		name: 'agent-files',
		start(context) {
			return context.subscribe((event) => {
				if (event.type !== 'path-touched') return;
				for (const file of project.loadFor(event.path, event.tool)) {
					context.addItem({ content: touchedFileContent(file), priority: 'for-next-turn', source: CONTEXT_FILE_SOURCE });
				}
			});
		},
	};
}

/** What the model reads: which file, why now, and its text. */
export function touchedFileContent(file: TouchedAgentFile): string {
	return `Instructions from ${file.path} for the folder ${file.folder}/ (loaded because a tool ${file.reason}):\n\n${file.text.trimEnd()}`;
}
