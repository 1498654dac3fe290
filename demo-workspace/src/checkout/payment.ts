export interface PaymentRequest {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: 'EUR' | 'USD' | 'GBP';
  readonly cardToken: string;
}

export type PaymentResult =
  | { readonly status: 'captured'; readonly transactionId: string }
  | { readonly status: 'declined'; readonly reason: string };

export class PaymentError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

/** Client of the payment provider's REST API. */
export class PaymentClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async capture(request: PaymentRequest): Promise<PaymentResult> {
    // TODO AB#2 retry on 503 and 429 with exponential backoff, honouring Retry-After
    const response = await fetch(new URL('/v2/payments', this.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json', 'idempotency-key': request.orderId },
      body: JSON.stringify(request),
    });
    if (response.status === 402) return { status: 'declined', reason: await response.text() };
    if (!response.ok) throw new PaymentError(`Payment provider answered ${response.status}`, response.status);
    const body = (await response.json()) as { id: string };
    return { status: 'captured', transactionId: body.id };
  }

  async refund(transactionId: string, amountCents: number): Promise<void> {
    // TODO check card expiry before capture, so an expired card fails fast with a clear message
    const response = await fetch(new URL(`/v2/payments/${encodeURIComponent(transactionId)}/refunds`, this.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amountCents }),
    });
    if (!response.ok) throw new PaymentError(`Refund failed with ${response.status}`, response.status);
  }
}
