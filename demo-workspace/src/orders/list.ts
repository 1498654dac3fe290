export interface Order {
  readonly id: string;
  readonly placedAt: string;
  readonly status: 'placed' | 'shipped' | 'delivered' | 'cancelled';
  readonly totalCents: number;
}

const orders: Order[] = [
  { id: 'ord_1042', placedAt: '2026-10-02T09:14:00Z', status: 'delivered', totalCents: 4_599 },
  { id: 'ord_1077', placedAt: '2026-10-19T17:40:00Z', status: 'shipped', totalCents: 12_900 },
  { id: 'ord_1101', placedAt: '2026-11-03T08:05:00Z', status: 'placed', totalCents: 2_350 },
];

export function page<T>(items: T[], n: number, size = 20): T[] {
  return items.slice(n * size, (n + 1) * size);
}

/** A customer's orders, newest first, 20 a page. */
export function listOrders(_customerId: string, n: number): Order[] {
  return page([...orders].sort((a, b) => b.placedAt.localeCompare(a.placedAt)), n);
}
