import * as z from 'zod';
import { defineTool } from '../source/runtime/tool.ts';

/** user_send_message: the only way the agent speaks to the user (PRODUCT §2). */
export const userSendMessageTool = defineTool({
	name: 'user_send_message',
	description: 'Send a message to the user; the only way to talk to them.',
	parameters: z.object({
		text: z.string(),
	}),
	access: 'read',
	async execute({ text }, ctx) {
		if (text.trim() === '') return { content: 'The message is empty; nothing was sent.', isError: true };
		ctx.say(text);
		return { content: 'Delivered.' };
	},
});
