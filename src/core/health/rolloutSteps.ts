// Where a canary Rollout is in its steps, and the weight it gives the canary there.
import { numberOr, type Dict } from './status';

export interface StepsDescription {
  /** `step 2 of 6: pause (until promoted), canary weight 40%`. */
  text: string;
  /** `step 2/6 · weight 40%`. */
  summary: string;
}

/** Undefined for a Rollout without canary steps (blue-green, or a canary that has none). */
export function describeSteps(spec: Dict, status: Dict): StepsDescription | undefined {
  const steps = spec.strategy?.canary?.steps;
  if (!Array.isArray(steps) || steps.length === 0) return undefined;
  const total = steps.length;
  // The controller starts at step 0 and sets the index past the last step once all are done.
  const index = Math.min(numberOr(status.currentStepIndex, 0), total);
  const weight = canaryWeight(steps, index, status);
  if (index >= total) return { text: `all ${total} steps done, canary weight ${weight}%`, summary: `step ${total}/${total} · weight ${weight}%` };
  return {
    text: `step ${index + 1} of ${total}: ${describeStep(steps[index] as Dict)}, canary weight ${weight}%`,
    summary: `step ${index + 1}/${total} · weight ${weight}%`,
  };
}

/**
 * The weight the traffic router was given (`status.canary.weights`, with traffic routing), else the last
 * setWeight up to the current step; 0 once aborted, 100 past the last step.
 */
function canaryWeight(steps: Dict[], index: number, status: Dict): number {
  if (status.abort === true) return 0;
  const routed = status.canary?.weights?.canary?.weight;
  if (typeof routed === 'number') return routed;
  if (index >= steps.length) return 100;
  const set = steps.slice(0, index + 1).map((step) => step?.setWeight).filter((value) => value !== undefined);
  return numberOr(set[set.length - 1], 0);
}

function describeStep(step: Dict): string {
  if (step.setWeight !== undefined) return `setWeight ${step.setWeight}`;
  if (step.pause !== undefined) return step.pause?.duration !== undefined ? `pause ${step.pause.duration}` : 'pause (until promoted)';
  if (step.analysis) {
    const templates = (Array.isArray(step.analysis.templates) ? step.analysis.templates : []).map((template: Dict) => template.templateName).filter(Boolean);
    return `analysis${templates.length ? ` ${templates.join(', ')}` : ''}`;
  }
  if (step.plugin?.name) return `plugin ${step.plugin.name}`;
  return Object.keys(step)[0] ?? 'empty step';
}
