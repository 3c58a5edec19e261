import { renderArticle, THEMES } from '../../nodes/wechat/article';
import { elements, styleOf, textOf } from './article-helpers';

const markdown = (source: string, theme?: string) => renderArticle(source, { format: 'markdown', theme });

describe('GitHub alerts and ::: containers', () => {
	it.each([
		['NOTE', 'Note'], ['TIP', 'Tip'], ['IMPORTANT', 'Important'], ['WARNING', 'Warning'], ['CAUTION', 'Caution'],
	])('turn > [!%s] into a styled callout titled %s, without the marker', (marker, title) => {
		const { html, text } = markdown(`> [!${marker}]\n> Mind **this**.`);
		expect(html).not.toContain('[!');
		expect(elements(html, 'blockquote')).toEqual([]);
		const [box] = elements(html, 'section').filter((node) => styleOf(node)['border-left']);
		const [heading, body] = box.children as ReturnType<typeof elements>;
		expect(textOf(heading)).toBe(title);
		expect(styleOf(heading)['font-weight']).toBe('bold');
		expect(textOf(body)).toBe('Mind this.');
		expect(text).toBe(`${title}\nMind this.`);
	});

	it('give each kind its own colour, in every theme, with inline styles only', () => {
		for (const theme of THEMES) {
			const { html } = markdown('> [!NOTE]\n> a\n\n> [!WARNING]\n> b', theme);
			const boxes = elements(html, 'section').filter((node) => styleOf(node)['border-left']);
			expect(boxes).toHaveLength(2);
			expect(styleOf(boxes[0])['border-left']).not.toBe(styleOf(boxes[1])['border-left']);
			expect(styleOf(boxes[0]).background).toBeTruthy();
			expect(elements(html).filter((node) => node.attrs.class !== undefined)).toEqual([]);
		}
	});

	it('leave an ordinary quote and an unknown marker as a quote', () => {
		const { html } = markdown('> plain\n\n> [!SOMETHING]\n> x');
		expect(elements(html, 'blockquote')).toHaveLength(2);
		expect(html).toContain('[!SOMETHING]');
	});

	it.each(['note', 'tip', 'warning', 'danger', 'info'])('turn a ::: %s container into a callout, with an optional title', (kind) => {
		const plain = markdown(`::: ${kind}\nInside *it*.\n:::`);
		const [box] = elements(plain.html, 'section').filter((node) => styleOf(node)['border-left']);
		expect(textOf(box.children[0] as never).toLowerCase()).toBe(kind);
		expect(textOf(box.children[1] as never)).toBe('Inside it.');
		const titled = markdown(`::: ${kind} Read this first\nInside.\n:::`);
		expect(titled.text).toBe('Read this first\nInside.');
	});

	it('leave an unknown ::: container as text', () => {
		expect(markdown('::: spoiler\nx\n:::').text).toBe('::: spoiler x :::');
	});

	it('render the same when rendered again (idempotent)', () => {
		const once = markdown('> [!TIP]\n> a\n\n::: danger Stop\nb\n:::').html;
		expect(renderArticle(once, { format: 'html' }).html).toBe(once);
	});
});
