// Reads every .js under the folder given as argv[2] with ESLint's parser and scope analysis and
// prints, as JSON, each file's uses of n8n's banned globals (n8n's own community-node rule) and
// every module it loads. A child process, because the n8n plugin is an ES module.
import { ESLint } from 'eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const modulesRule = {
	meta: { type: 'problem', schema: [] },
	create(context) {
		function report(node, spec) {
			context.report({ node, message: JSON.stringify({ module: spec }) });
		}
		function literal(node) {
			if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
			if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) {
				return node.quasis[0].value.cooked;
			}
			return '<computed>';
		}
		return {
			ImportDeclaration: (node) => report(node, literal(node.source)),
			ImportExpression: (node) => report(node, literal(node.source)),
			Program(program) {
				// `require` as a free variable: a direct call names its module, anything else hides it.
				const scope = context.sourceCode.getScope(program);
				const declaredGlobal = scope.set.get('require');
				const refs = [
					...(declaredGlobal && declaredGlobal.defs.length === 0 ? declaredGlobal.references : []),
					...scope.through.filter((ref) => ref.identifier.name === 'require'),
				];
				for (const ref of refs) {
					const parent = ref.identifier.parent;
					const isCall = parent.type === 'CallExpression' && parent.callee === ref.identifier;
					report(ref.identifier, isCall ? literal(parent.arguments[0]) : '<indirect require>');
				}
			},
		};
	},
};

const eslint = new ESLint({
	cwd: process.argv[2],
	overrideConfigFile: true,
	overrideConfig: [
		{
			files: ['**/*.js'],
			languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
			// eslint-disable comments carried into dist/ neither hide a use nor name unknown rules.
			linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
			plugins: { n8n: n8nCommunityNodesPlugin, dist: { rules: { modules: modulesRule } } },
			rules: { 'n8n/no-restricted-globals': 'error', 'dist/modules': 'error' },
		},
	],
});

const results = await eslint.lintFiles(['**/*.js']);
const report = results.map((result) => ({
	file: result.filePath,
	modules: result.messages
		.filter((message) => message.ruleId === 'dist/modules')
		.map((message) => JSON.parse(message.message).module),
	// Banned globals, and files that do not parse; not the notes on ignored disable comments.
	problems: result.messages
		.filter((message) => message.ruleId === 'n8n/no-restricted-globals' || message.fatal)
		.map((message) => `${message.line}:${message.column} ${message.ruleId ?? 'parse'}: ${message.message}`),
}));
process.stdout.write(JSON.stringify(report));
