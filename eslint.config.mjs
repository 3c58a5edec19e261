// n8n's community-node rules: @n8n/eslint-plugin-community-nodes (what `@n8n/node-cli lint`
// runs) plus eslint-plugin-n8n-nodes-base's node, credential and package.json presets.
import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const communityRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', '**/*.js', '**/*.mjs'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			// MathJax (1.6 MB, about 80 ms to load) is required when the first formula is drawn, so
			// an n8n process and an article without math never load it.
			'@typescript-eslint/no-require-imports': ['error', { allow: ['^\\.\\./vendor/mathjax$'] }],
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		plugins: { ...communityRecommended.plugins, 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...communityRecommended.rules,
			...n8nNodesBase.configs.nodes.rules,
			// Off as in n8n's own scanner (@n8n/scan-community-package): they predate
			// NodeConnectionTypes and know only the outputs of n8n's If and Switch nodes.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Off as in n8n's own scanner: it expects a slug of n8n's docs, not a URL of WeChat's.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
);
