import { type Cart } from '../cart/cart.js';
import { type PaymentClient, type PaymentResult } from './payment.js';

export interface Order {
  readonly id: string;
  readonly totalCents: number;
  readonly payment: PaymentResult;
}

export async function checkout(cart: Cart, payments: PaymentClient, cardToken: string): Promise<Order> {
  if (cart.items().length === 0) throw new Error('The cart is empty.');
  const id = `ord_${Date.now().toString(36)}`;
  const { totalCents } = cart.totals();
  // TODO AB#3 reserve stock before capturing the payment, release it when the capture fails
  const payment = await payments.capture({ orderId: id, amountCents: totalCents, currency: 'EUR', cardToken });
  return { id, totalCents, payment };
}
