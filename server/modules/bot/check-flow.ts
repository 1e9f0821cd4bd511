import type { FlowDefinition, FlowStep } from '../../../protocol/flows.js';

/** Steps that wait for the visitor; a loop must pass through one, or it would never stop. */
const waitsForVisitor = (step: FlowStep) => step.kind === 'buttons' || step.kind === 'ask';

export function nextSteps(step: FlowStep): string[] {
  switch (step.kind) {
    case 'buttons':
      return step.buttons.flatMap((b) => (b.next ? [b.next] : []));
    case 'handoff':
      return [];
    default:
      return step.next ? [step.next] : [];
  }
}

/**
 * The graph rules a schema cannot say: unique step ids, every reference resolves, and no cycle
 * made only of steps that run without the visitor (message, checkpoint). Returns the problems.
 */
export function checkFlowGraph(definition: FlowDefinition): string[] {
  const problems: string[] = [];
  const byId = new Map<string, FlowStep>();
  for (const step of definition.steps) {
    if (byId.has(step.id)) problems.push(`steps: the id "${step.id}" is used twice.`);
    byId.set(step.id, step);
  }
  if (!byId.has(definition.start)) problems.push(`start: there is no step "${definition.start}".`);
  for (const step of definition.steps) {
    for (const next of nextSteps(step)) {
      if (!byId.has(next)) problems.push(`steps.${step.id}: it leads to "${next}", which does not exist.`);
    }
  }
  if (problems.length > 0) return problems;

  // Depth-first search over the automatic edges only (edges out of waiting steps are cut).
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): boolean => {
    const seen = state.get(id);
    if (seen === 'done') return false;
    if (seen === 'visiting') {
      problems.push(
        `steps: ${[...path.slice(path.indexOf(id)), id].join(' → ')} loops without asking the visitor.`,
      );
      return true;
    }
    state.set(id, 'visiting');
    const step = byId.get(id) as FlowStep;
    const found = !waitsForVisitor(step) && nextSteps(step).some((n) => visit(n, [...path, id]));
    state.set(id, 'done');
    return found;
  };
  for (const step of definition.steps) if (visit(step.id, [])) break;
  return problems;
}
