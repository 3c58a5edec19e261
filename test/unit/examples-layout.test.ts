/** The example workflows as the editor draws them: no sticky note covers a node. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
/** n8n draws a node about 100 px square from its position (its top-left corner). */
const NODE_SIZE = 100;
const NOTE_DEFAULT = { width: 240, height: 160 };

interface WorkflowNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: { width?: number; height?: number };
}

it.each(readdirSync(EXAMPLES).filter((file) => file.endsWith('.json')))('%s: sticky notes are clear of the nodes', (file) => {
	const { nodes } = JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as { nodes: WorkflowNode[] };
	const notes = nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
	const covered: string[] = [];
	for (const note of notes) {
		const [x, y] = note.position;
		const width = note.parameters.width ?? NOTE_DEFAULT.width;
		const height = note.parameters.height ?? NOTE_DEFAULT.height;
		for (const node of nodes.filter((candidate) => !notes.includes(candidate))) {
			const [nx, ny] = node.position;
			if (nx + NODE_SIZE > x && nx < x + width && ny + NODE_SIZE > y && ny < y + height) covered.push(`${note.name} covers ${node.name}`);
		}
	}
	expect(covered).toEqual([]);
});
