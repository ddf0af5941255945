import { Text } from 'ink';
import { createContext, memo, useContext } from 'react';
import type { StyledLine, Token } from './render/styled-line.ts';
import { styleFor, type Theme } from './theme.ts';

export const ThemeContext = createContext<Theme | undefined>(undefined);

export function useTheme(): Theme {
	const theme = useContext(ThemeContext);
	if (!theme) throw new Error('ThemeContext is missing');
	return theme;
}

/** Ink <Text> props for a token in the current theme. */
export function useStyle(token: Token) {
	return styleFor(useTheme(), token);
}

/** One pre-wrapped row; Ink must not wrap it again. A row with no text still takes its row (Ink gives empty text no height). */
export const Row = memo(function Row({ line }: { line: StyledLine }) {
	const theme = useTheme();
	if (line.every((segment) => segment.text === '')) return <Text> </Text>;
	return (
		<Text wrap="truncate-end">
			{line.map((segment, index) => (
				<Text key={index} {...styleFor(theme, segment.token)} {...(segment.bold ? { bold: true } : {})} {...(segment.italic ? { italic: true } : {})}>
					{segment.text}
				</Text>
			))}
		</Text>
	);
});
