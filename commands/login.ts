import { notBuiltYet } from './not-built-yet.ts';

/** `/login` — will sign in with the OAuth device flow; not built yet. */
export const loginCommand = notBuiltYet({
	name: 'login',
	summary: 'Sign in to the model provider',
	arrivesWith: 'sign-in (the OAuth device flow, also as `orbit login`)',
	meanwhile: 'For now, set OPENAI_API_KEY (and OPENAI_BASE_URL for another endpoint).',
});
