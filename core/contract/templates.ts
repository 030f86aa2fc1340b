/**
 * The ready-made notebooks by name, with the titles they open under: the app's "From template" menu,
 * notebook.create and `rxlab notebook new --template`. Pure data, so the renderer imports it too.
 */
export const TEMPLATE_TITLES = {
  reproduce: 'Reproduce the paper',
  tradeoff: 'Flush-policy trade-off',
  placement: 'Where should LRO run?',
  testbed: 'My testbed beside the paper',
  diagnostics: 'How good is the model?',
} as const;
export type TemplateName = keyof typeof TEMPLATE_TITLES;
/** Every template, and 'blank' (no cells) first. */
export const NOTEBOOK_TEMPLATES = ['blank', ...(Object.keys(TEMPLATE_TITLES) as TemplateName[])] as ['blank', ...TemplateName[]];
