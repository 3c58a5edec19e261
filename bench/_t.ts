import { markdownToHtml } from '../nodes/wechat/article/markdown';
console.log(markdownToHtml(process.argv[2]));
