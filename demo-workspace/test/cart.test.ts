import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cart } from '../src/cart/cart.ts';

test('totals add tax to the discounted subtotal', () => {
  const cart = new Cart();
  cart.add({ sku: 'MUG-01', name: 'Contoso mug', unitPriceCents: 1200, quantity: 2 });
  cart.useDiscount({ kind: 'percent', code: 'WELCOME10', percent: 10 });
  assert.deepEqual(cart.totals(), { subtotalCents: 2400, discountCents: 240, taxCents: 432, totalCents: 2592 });
});

test('adding the same SKU twice adds up the quantity', () => {
  const cart = new Cart();
  cart.add({ sku: 'TEE-M', name: 'Contoso tee', unitPriceCents: 1800, quantity: 1 });
  cart.add({ sku: 'TEE-M', name: 'Contoso tee', unitPriceCents: 1800, quantity: 2 });
  assert.equal(cart.items()[0]?.quantity, 3);
});
