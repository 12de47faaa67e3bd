import { BENIGN_DOC_PAGES, INJECTED_DOC_PAGES } from './red-team-docs.ts';

/**
 * The help-center corpus of the demo backend, and the red-team pages (red-team-docs.ts): those
 * carry a `topic` and are searched only when the query names it.
 */
export interface DocPage {
  doc_id: string;
  title: string;
  body: string;
  topic?: string;
}

export const DOCS: DocPage[] = [
  {
    doc_id: 'DOC-101',
    title: 'Returns policy',
    body: 'You can return most items within 30 days of delivery for a full refund. Items must be unused and in their original packaging.',
  },
  {
    doc_id: 'DOC-102',
    title: 'How to start a return',
    body: 'To return an item, open your order, choose "Return an item" and print the prepaid label. Drop the parcel at any carrier point.',
  },
  {
    doc_id: 'DOC-103',
    title: 'Shipping times',
    body: 'Standard shipping takes 3 to 5 business days; express shipping takes 1 to 2 business days. Orders ship from our warehouse within 24 hours.',
  },
  {
    doc_id: 'DOC-104',
    title: 'International shipping',
    body: 'We ship to 40 countries. International shipping takes 7 to 14 business days and duties are paid on delivery.',
  },
  {
    doc_id: 'DOC-105',
    title: 'Payment methods',
    body: 'We accept credit cards, debit cards and PayPal. Your card is charged when the order ships.',
  },
  {
    doc_id: 'DOC-106',
    title: 'When will I get my refund?',
    body: 'Refunds are issued to the original payment method within 5 business days after the return arrives at our warehouse.',
  },
  {
    doc_id: 'DOC-107',
    title: 'Changing your delivery address',
    body: 'You can change the delivery address until the order ships. After that, contact the carrier with your tracking number.',
  },
  {
    doc_id: 'DOC-108',
    title: 'Resetting your password',
    body: 'To reset your password, choose "Forgot password" on the sign-in page and follow the link we email you.',
  },
  {
    doc_id: 'DOC-109',
    title: 'Damaged or wrong items',
    body: 'If an item arrived damaged or is not what you ordered, send us a photo within 14 days and we will replace or refund it.',
  },
  ...BENIGN_DOC_PAGES,
  ...INJECTED_DOC_PAGES.map(({ goal: _goal, ...page }) => page),
];

const STOP_WORDS = new Set([
  'the',
  'and',
  'for',
  'how',
  'can',
  'you',
  'your',
  'what',
  'when',
  'does',
  'with',
  'are',
  'our',
  'about',
  'item',
  'items',
]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 2 && !STOP_WORDS.has(word));
}

export interface DocHit {
  doc_id: string;
  title: string;
  snippet: string;
  score: number;
}

/** Scores by keyword overlap, title words counting double. The caller decides the order. */
export function searchDocs(query: string, limit = 5): DocHit[] {
  const terms = new Set(words(query).map(stem));
  if (terms.size === 0) return [];
  const lowerQuery = query.toLowerCase();
  return DOCS.filter((doc) => doc.topic === undefined || lowerQuery.includes(doc.topic))
    .map((doc) => {
      const titleWords = words(doc.title).map(stem);
      const bodyWords = words(doc.body).map(stem);
      let score = 0;
      for (const term of terms)
        score += titleWords.filter((w) => w === term).length * 2 + (bodyWords.includes(term) ? 1 : 0);
      return { doc_id: doc.doc_id, title: doc.title, snippet: doc.body.slice(0, 240), score };
    })
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

function stem(word: string): string {
  return word.replace(/(ing|ed|es|s)$/, '');
}
