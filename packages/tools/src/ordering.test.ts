import { describe, expect, it } from 'vitest';
import { orderCollection } from './ordering.ts';

const hits = [
  { doc_id: 'DOC-103', score: 2 },
  { doc_id: 'DOC-101', score: 5 },
  { doc_id: 'DOC-109', score: 2 },
  { doc_id: 'DOC-102', score: 3 },
];

const ids = (items: unknown) => (items as { doc_id: string }[]).map((item) => item.doc_id);

describe('orderCollection', () => {
  it('sorts by score descending, then doc_id ascending', () => {
    expect(ids(orderCollection(hits, '-score,doc_id'))).toEqual(['DOC-101', 'DOC-102', 'DOC-103', 'DOC-109']);
  });

  it('gives the same order whatever order the backend answered in', () => {
    const expected = orderCollection(hits, '-score,doc_id');
    const permutations = [[...hits].reverse(), [hits[2], hits[0], hits[3], hits[1]]];
    for (const answer of permutations) expect(orderCollection(answer, '-score,doc_id')).toEqual(expected);
  });

  it('sorts ascending by a key without a minus', () => {
    expect(ids(orderCollection(hits, 'doc_id'))).toEqual(['DOC-101', 'DOC-102', 'DOC-103', 'DOC-109']);
  });

  it('tolerates spaces around the keys', () => {
    expect(orderCollection(hits, ' -score , doc_id ')).toEqual(orderCollection(hits, '-score,doc_id'));
  });

  it('sorts the first array field of an object and keeps the other fields', () => {
    const data = { total: 4, hits: [...hits].reverse() };
    const ordered = orderCollection(data, '-score,doc_id') as { total: number; hits: unknown };
    expect(ordered.total).toBe(4);
    expect(ids(ordered.hits)).toEqual(['DOC-101', 'DOC-102', 'DOC-103', 'DOC-109']);
  });

  it('puts items missing the key last', () => {
    const mixed = [{ doc_id: 'B' }, { doc_id: 'A', score: 1 }, { doc_id: 'C', score: 9 }];
    expect(ids(orderCollection(mixed, '-score,doc_id'))).toEqual(['C', 'A', 'B']);
  });

  it('does not change the data it was given', () => {
    const copy = structuredClone(hits);
    orderCollection(hits, '-score,doc_id');
    expect(hits).toEqual(copy);
  });

  it('leaves data alone when there is no order_by or nothing to sort', () => {
    expect(orderCollection(hits, undefined)).toBe(hits);
    expect(orderCollection({ order_id: 'A1001' }, '-score')).toEqual({ order_id: 'A1001' });
    expect(orderCollection('text', '-score')).toBe('text');
    expect(orderCollection(null, '-score')).toBeNull();
  });
});
