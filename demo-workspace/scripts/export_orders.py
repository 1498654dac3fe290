"""Exports a customer's orders as CSV for support staff (python3 scripts/export_orders.py orders.json)."""
import csv
import json
import sys


def export(orders, out):
    writer = csv.writer(out)
    writer.writerow(["id", "placed_at", "status", "total_eur"])
    for order in sorted(orders, key=lambda o: o["placedAt"], reverse=True):
        # TODO AB#14 share the totals formatting with the PDF invoice
        writer.writerow([order["id"], order["placedAt"], order["status"], f"{order['totalCents'] / 100:.2f}"])


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        export(json.load(f), sys.stdout)
