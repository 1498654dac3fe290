export type DiscountCode =
  | { readonly kind: 'percent'; readonly code: string; readonly percent: number }
  | { readonly kind: 'fixed'; readonly code: string; readonly amountCents: number };

/** The discount in cents for a subtotal; never more than the subtotal. */
export function applyDiscount(code: DiscountCode, subtotalCents: number): number {
  const raw = code.kind === 'percent' ? Math.round((subtotalCents * code.percent) / 100) : code.amountCents;
  return Math.min(raw, subtotalCents);
}

const KNOWN: Record<string, DiscountCode> = {
  WELCOME10: { kind: 'percent', code: 'WELCOME10', percent: 10 },
  FIVEOFF: { kind: 'fixed', code: 'FIVEOFF', amountCents: 500 },
};

export function lookupDiscount(code: string): DiscountCode | undefined {
  // TODO expire codes: marketing wants end dates per campaign
  return KNOWN[code.trim().toUpperCase()];
}
