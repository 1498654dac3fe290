import { createServer } from 'node:http';
import { Cart } from './cart/cart.js';
import { lookupDiscount } from './cart/discounts.js';

const carts = new Map<string, Cart>();

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const cartId = url.searchParams.get('cart') ?? 'default';
  const cart = carts.get(cartId) ?? new Cart();
  carts.set(cartId, cart);

  if (req.method === 'GET' && url.pathname === '/cart') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ items: cart.items(), totals: cart.totals() }));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/cart/discount') {
    const code = lookupDiscount(url.searchParams.get('code') ?? '');
    if (!code) {
      res.writeHead(404).end('Unknown discount code');
      return;
    }
    cart.useDiscount(code);
    res.writeHead(204).end();
    return;
  }
  // XXX AB#6 rate-limit POST /checkout per client before the Black Friday launch
  res.writeHead(404).end();
});

server.listen(Number(process.env.PORT ?? 3000));
