import { z } from 'zod';

export const ModelTier = z.enum(['small', 'medium', 'large']);
export type ModelTier = z.infer<typeof ModelTier>;

export const ModelProviderName = z.enum(['anthropic', 'openai', 'openai_compatible', 'sim']);
export type ModelProviderName = z.infer<typeof ModelProviderName>;

/** One entry of contracts/models.yaml. Prices are list prices in USD per million tokens. */
export const ModelSpec = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    provider: ModelProviderName,
    model: z.string(),
    tier: ModelTier,
    input_usd_per_mtok: z.number().nonnegative(),
    output_usd_per_mtok: z.number().nonnegative(),
    cache_read_usd_per_mtok: z.number().nonnegative().optional(),
    cache_write_usd_per_mtok: z.number().nonnegative().optional(),
    context_window: z.number().int().positive(),
    max_output_tokens: z.number().int().positive(),
    supports_tools: z.boolean(),
  })
  .strict();
export type ModelSpec = z.infer<typeof ModelSpec>;
