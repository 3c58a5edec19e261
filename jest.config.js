/**
 * Three projects: `unit` runs in seconds with no n8n; `engine` runs workflows inside n8n-core's
 * engine in process, on the provisioned n8n's Node (scripts/test-engine.sh); `e2e` drives a real
 * n8n process.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }];
/** Bundled libraries published only as ES modules (see test/esmTransform.js). */
const esmOnly = ['markdown-it-cjk-friendly', 'get-east-asian-width'];
const transform = {
	'^.+\\.ts$': tsJest,
	[`/node_modules/(?:${esmOnly.join('|')})/.+\\.js$`]: '<rootDir>/test/esmTransform.js',
};
const transformIgnorePatterns = [`/node_modules/(?!(?:${esmOnly.join('|')})/)`];
/** The bundle embeds the WebP decoder's bytes; the source under test reads them (test/helpers/webpWasm.js). */
const moduleNameMapper = { '^@cwasm/webp/webp\\.wasm$': '<rootDir>/test/helpers/webpWasm.js' };

/** @type {import('jest').Config} */
module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform,
			transformIgnorePatterns,
			moduleNameMapper,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
		{
			displayName: 'engine',
			testEnvironment: 'node',
			transform,
			transformIgnorePatterns,
			moduleNameMapper,
			testMatch: ['<rootDir>/test/engine/**/*.test.ts'],
			globalSetup: '<rootDir>/test/engine/global-setup.ts',
			setupFilesAfterEnv: ['<rootDir>/test/engine/jest-setup.ts'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform,
			transformIgnorePatterns,
			moduleNameMapper,
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			globalSetup: '<rootDir>/test/e2e/global-setup.ts',
			setupFilesAfterEnv: ['<rootDir>/test/e2e/jest-setup.ts'],
		},
	],
};
