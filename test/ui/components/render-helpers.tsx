import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { loadTheme } from '../../../source/ui/theme.ts';
import { ThemeContext } from '../../../source/ui/theme-context.tsx';
import { waitUntil } from '../../fixtures/scripted-model.ts';

const theme = loadTheme('dark');

/** Renders inside the dark theme with ink-testing-library. */
export function renderThemed(element: ReactElement) {
	const instance = render(<ThemeContext.Provider value={theme}>{element}</ThemeContext.Provider>);
	return {
		...instance,
		rerenderThemed: (next: ReactElement) => instance.rerender(<ThemeContext.Provider value={theme}>{next}</ThemeContext.Provider>),
		/** Waits until the last frame satisfies `predicate` (Ink renders asynchronously). */
		waitForFrame: async (predicate: (frame: string) => boolean, what: string) => {
			await waitUntil(() => predicate(instance.lastFrame() ?? ''), `${what}\n--- last frame ---\n${instance.lastFrame()}`);
			return instance.lastFrame() ?? '';
		},
	};
}

export const ESC = '\u001B';
