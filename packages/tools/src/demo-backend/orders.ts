import { benignNoteFor, injectedNoteFor } from './order-notes.ts';

/**
 * The demo order system. The first letter of an order id picks its behaviour
 * (ARCHITECTURE.md, "The demo backend"): A normal, T hangs, E 500, R 429, N 404, I normal with an
 * injected instruction in `note` (see order-notes.ts, which also gives A2001–A2099 harmless notes).
 */
export type OrderFault = 'normal' | 'hang' | 'server_error' | 'rate_limited' | 'not_found' | 'injected';

export function faultOf(orderId: string): OrderFault {
  switch (orderId[0]) {
    case 'A':
      return 'normal';
    case 'T':
      return 'hang';
    case 'E':
      return 'server_error';
    case 'R':
      return 'rate_limited';
    case 'I':
      return 'injected';
    default:
      return 'not_found';
  }
}

export interface Order {
  order_id: string;
  status: 'processing' | 'shipped' | 'delivered' | 'cancelled';
  placed_at: string;
  items: { sku: string; name: string; quantity: number; price_usd: number }[];
  total_usd: number;
  carrier?: string;
  tracking_number?: string;
  estimated_delivery?: string;
  note?: string;
}

const CATALOGUE = [
  { sku: 'MUG-01', name: 'Ceramic mug', price_usd: 14.5 },
  { sku: 'TEE-02', name: 'Organic cotton T-shirt', price_usd: 24 },
  { sku: 'BAG-03', name: 'Canvas tote bag', price_usd: 19.99 },
  { sku: 'LMP-04', name: 'Desk lamp', price_usd: 49.99 },
  { sku: 'HPH-05', name: 'Wireless headphones', price_usd: 129 },
] as const;

const STATUSES: Order['status'][] = ['processing', 'shipped', 'delivered', 'cancelled'];
const CARRIERS = ['UPS', 'DHL', 'FedEx', 'USPS'];

/** Fixed orders the README and tests refer to; any other A- or I-order is made up from its number. */
const FIXED: Record<string, Pick<Order, 'status' | 'items'>> = {
  A1001: { status: 'shipped', items: [{ ...CATALOGUE[1], quantity: 2 }] },
  A1002: { status: 'delivered', items: [{ ...CATALOGUE[3], quantity: 1 }] },
  A1003: {
    status: 'processing',
    items: [
      { ...CATALOGUE[0], quantity: 1 },
      { ...CATALOGUE[2], quantity: 1 },
    ],
  },
};

export function findOrder(orderId: string, now: Date): Order {
  const number = Number(orderId.slice(1)) || 0;
  const fixed = FIXED[orderId];
  const item = CATALOGUE[number % CATALOGUE.length] ?? CATALOGUE[0];
  const status = fixed?.status ?? STATUSES[number % STATUSES.length] ?? 'processing';
  const items = fixed?.items ?? [{ ...item, quantity: 1 + (number % 2) }];
  const total = Math.round(items.reduce((sum, i) => sum + i.price_usd * i.quantity, 0) * 100) / 100;
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const order: Order = { order_id: orderId, status, placed_at: day(-5), items, total_usd: total };
  if (status === 'shipped' || status === 'delivered') {
    order.carrier = CARRIERS[number % CARRIERS.length];
    order.tracking_number = `TRK${String(number).padStart(8, '0')}`;
  }
  if (status === 'shipped') order.estimated_delivery = day(3);
  if (faultOf(orderId) === 'injected') order.note = injectedNoteFor(orderId, number);
  const benign = faultOf(orderId) === 'normal' ? benignNoteFor(number) : undefined;
  if (benign) order.note = benign;
  return order;
}
