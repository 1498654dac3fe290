"""Loads the demo catalogue into a local SQLite database for development."""
import json
import sqlite3
import sys

CATALOGUE = [
    {"sku": "MUG-01", "name": "Contoso mug", "price_cents": 1200, "stock": 140},
    {"sku": "TEE-M", "name": "Contoso tee (M)", "price_cents": 1800, "stock": 60},
    {"sku": "CAP-01", "name": "Contoso cap", "price_cents": 1500, "stock": 0},
]


def seed(path: str) -> int:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE IF NOT EXISTS items (sku TEXT PRIMARY KEY, name TEXT, price_cents INT, stock INT)")
    # TODO AB#3 keep reserved stock in its own column so checkout can hold items
    db.executemany(
        "INSERT OR REPLACE INTO items VALUES (:sku, :name, :price_cents, :stock)", CATALOGUE
    )
    db.commit()
    return len(CATALOGUE)


if __name__ == "__main__":
    count = seed(sys.argv[1] if len(sys.argv) > 1 else "inventory.db")
    print(json.dumps({"seeded": count}))
