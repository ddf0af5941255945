import type { ModelClient } from '../runtime/model.ts';

/** A model client whose model can be changed while the session runs (`/model`). */
export interface SwitchableModel extends ModelClient {
	/** From the next request on, `client` answers; a request already streaming finishes with the previous one. */
	use(client: ModelClient): void;
}

export function createSwitchableModel(initial: ModelClient): SwitchableModel {
	let current = initial;
	return {
		get name() {
			return current.name;
		},
		stream: (request) => current.stream(request),
		use(client) {
			current = client;
		},
	};
}
