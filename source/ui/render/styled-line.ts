/**
 * Semantic style tokens. Renderers produce lines of segments tagged with a token; a theme
 * (themes/*.json) maps each token to colours. Nothing below source/ui/render knows a colour.
 */
export const TOKENS = [
	'text',
	'muted',
	'accent',
	'border',
	'borderFocus',
	'title',
	'user',
	'monologue',
	'message',
	'toolName',
	'toolArg',
	'success',
	'error',
	'warning',
	'diffAdd',
	'diffRemove',
	'diffHunk',
	'heading',
	'emphasis',
	'code',
	'codeKeyword',
	'codeString',
	'codeComment',
	'codeNumber',
	'link',
	'priorityInterruption',
	'priorityNext',
	'priorityEnd',
	'planNew',
	'planActive',
	'planDone',
	'selection',
	'status',
] as const;

export type Token = (typeof TOKENS)[number];

export interface Segment {
	text: string;
	token: Token;
	bold?: boolean;
	italic?: boolean;
}

/** One terminal row of text (no newlines inside), already wrapped to the pane width. */
export type StyledLine = Segment[];

export function plainLine(text: string, token: Token = 'text'): StyledLine {
	return [{ text, token }];
}
