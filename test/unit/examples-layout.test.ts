/** The example workflows as the editor draws them: no sticky note covers a node. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { SANDBOX_REJECTS_MARK, withDraftRejected } from '../../scripts/demo/workflows';

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

/** Which sticky note covers which node. */
function coveredNodes(nodes: WorkflowNode[]): string[] {
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
	return covered;
}

it('the demo\'s rejected copy says on its canvas why it fails, clear of its nodes', () => {
	const example = JSON.parse(readFileSync(path.join(EXAMPLES, 'publish-draft-notify-on-failure.json'), 'utf8')) as { nodes: WorkflowNode[] };
	const copy = withDraftRejected({ ...example, id: 'x', name: 'x' } as never, 'rejected', 'Rejected') as unknown as { nodes: WorkflowNode[] };
	const why = copy.nodes.find((node) => node.name === 'Why This Copy Fails') as WorkflowNode & { parameters: { content: string } };
	expect(why.parameters.content).toContain(SANDBOX_REJECTS_MARK);
	expect(why.parameters.content).toMatch(/errcode 53503/);
	expect(coveredNodes(copy.nodes)).toEqual([]);
});

it.each(readdirSync(EXAMPLES).filter((file) => file.endsWith('.json')))('%s: sticky notes are clear of the nodes', (file) => {
	const { nodes } = JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as { nodes: WorkflowNode[] };
	expect(coveredNodes(nodes)).toEqual([]);
});
