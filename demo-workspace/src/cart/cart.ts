import { type DiscountCode, applyDiscount } from './discounts.js';

export interface CartLine {
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly quantity: number;
}

export interface CartTotals {
  readonly subtotalCents: number;
  readonly discountCents: number;
  readonly taxCents: number;
  readonly totalCents: number;
}

const TAX_RATE = 0.2;

export class Cart {
  private readonly lines = new Map<string, CartLine>();
  private discount: DiscountCode | undefined;

  add(line: CartLine): void {
    if (line.quantity <= 0) throw new RangeError(`Quantity must be positive, got ${line.quantity}`);
    const existing = this.lines.get(line.sku);
    this.lines.set(line.sku, existing ? { ...existing, quantity: existing.quantity + line.quantity } : line);
  }

  remove(sku: string): void {
    this.lines.delete(sku);
  }

  useDiscount(code: DiscountCode): void {
    this.discount = code;
  }

  items(): readonly CartLine[] {
    return [...this.lines.values()];
  }

  totals(): CartTotals {
    const subtotalCents = this.items().reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
    // TODO AB#4 apply discount codes after tax for gift cards (finance asked for it in the Q3 review)
    const discountCents = this.discount ? applyDiscount(this.discount, subtotalCents) : 0;
    // FIXME AB#5 rounding each line instead of the total loses a cent on large baskets
    const taxCents = Math.round((subtotalCents - discountCents) * TAX_RATE);
    return { subtotalCents, discountCents, taxCents, totalCents: subtotalCents - discountCents + taxCents };
  }
}
