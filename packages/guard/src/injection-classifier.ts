import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * A TF-IDF and logistic-regression model as the `llm_guardrail` npm package ships it (trained with
 * scikit-learn on public prompt-injection and jailbreak sets). Only its weights are used, read as
 * data and checked here; the arithmetic is ours and sparse, so one text costs microseconds.
 */
const ModelFile = z.object({
  vocabulary: z.record(z.string(), z.number().int().nonnegative()),
  idf: z.array(z.number()),
  coefficients: z.array(z.array(z.number())).length(1),
  intercept: z.array(z.number()).length(1),
  ngram_range: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  lowercase: z.boolean(),
});

class TfidfLogisticModel {
  private readonly vocabulary: Map<string, number>;
  private readonly idf: number[];
  private readonly weights: number[];
  private readonly intercept: number;
  private readonly ngrams: [number, number];
  private readonly lowercase: boolean;

  constructor(raw: unknown) {
    const file = ModelFile.parse(raw);
    this.vocabulary = new Map(Object.entries(file.vocabulary));
    this.idf = file.idf;
    this.weights = file.coefficients[0] ?? [];
    this.intercept = file.intercept[0] ?? 0;
    this.ngrams = file.ngram_range;
    this.lowercase = file.lowercase;
  }

  /** The probability that `text` is an attack: sigmoid(w · tfidf(text) + b), tf-idf L2-normalised. */
  probability(text: string): number {
    const tokens = (this.lowercase ? text.toLowerCase() : text).match(/\b\w\w+\b/g) ?? [];
    const counts = new Map<number, number>();
    for (let n = this.ngrams[0]; n <= this.ngrams[1]; n++) {
      for (let start = 0; start + n <= tokens.length; start++) {
        const index = this.vocabulary.get(tokens.slice(start, start + n).join(' '));
        if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
      }
    }
    let squares = 0;
    let dot = 0;
    for (const [index, count] of counts) {
      const value = count * (this.idf[index] ?? 0);
      squares += value * value;
      dot += value * (this.weights[index] ?? 0);
    }
    const z = this.intercept + (squares > 0 ? dot / Math.sqrt(squares) : 0);
    return 1 / (1 + Math.exp(-z));
  }
}

let models: TfidfLogisticModel[] | undefined;

/** Loaded on first use (about 3 MB of weights), once per process. */
function loadModels(): TfidfLogisticModel[] {
  if (models) return models;
  const packageDir = dirname(createRequire(import.meta.url).resolve('llm_guardrail/package.json'));
  models = ['prompt_injection', 'jailbreak'].map(
    (name) =>
      new TfidfLogisticModel(
        JSON.parse(readFileSync(join(packageDir, 'model', `${name}_model.json`), 'utf8')),
      ),
  );
  return models;
}

/** The highest probability, of the injection and the jailbreak model, that `text` is an attack. */
export function classifierProbability(text: string): number {
  return Math.max(...loadModels().map((model) => model.probability(text)));
}
