// The one place the package imports highlight.js: its core and the languages articles use most.
// The build replaces this module's output with a bundle, so dist/ requires nothing n8n lacks.
export { default as hljs } from 'highlight.js/lib/core';
export { default as bash } from 'highlight.js/lib/languages/bash';
export { default as css } from 'highlight.js/lib/languages/css';
export { default as go } from 'highlight.js/lib/languages/go';
export { default as java } from 'highlight.js/lib/languages/java';
export { default as javascript } from 'highlight.js/lib/languages/javascript';
export { default as json } from 'highlight.js/lib/languages/json';
export { default as python } from 'highlight.js/lib/languages/python';
export { default as sql } from 'highlight.js/lib/languages/sql';
export { default as typescript } from 'highlight.js/lib/languages/typescript';
export { default as xml } from 'highlight.js/lib/languages/xml';
export { default as yaml } from 'highlight.js/lib/languages/yaml';
