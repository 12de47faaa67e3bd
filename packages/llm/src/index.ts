export * from './catalogue.ts';
export * from './provider.ts';
export * from './providers.ts';
export { CHAOS_BEHAVIOURS, ChaosSim } from './sim/chaos-sim.ts';
export { findInjectedInstruction, orderIdsIn, parseIntent } from './sim/intents.ts';
export { HANDOFF_TOOL, SimModel } from './sim/sim-model.ts';
export * from './summary-prompt.ts';
export * from './tokens.ts';
