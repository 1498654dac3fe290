import { type Order } from './list.js';

export interface InvoiceLine {
  readonly description: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

const euros = (cents: number) => (cents / 100).toLocaleString('en-IE', { style: 'currency', currency: 'EUR' });

/** The invoice as plain text, the format support staff paste into emails today. */
export function invoiceText(order: Order, lines: readonly InvoiceLine[]): string {
  // TODO AB#14 render the same invoice as a PDF customers can download from their order history
  const body = lines.map((l) => `${l.quantity} x ${l.description.padEnd(30)} ${euros(l.quantity * l.unitPriceCents)}`);
  return [`Invoice for order ${order.id} (${order.placedAt.slice(0, 10)})`, '', ...body, '', `Total: ${euros(order.totalCents)}`].join('\n');
}
