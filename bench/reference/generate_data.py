"""The reference project's approach, kept faithful for benchmarking: Faker per row into a pandas DataFrame,
then DataFrame.to_csv. Run with Debian's python3-fake-factory and python3-pandas.

    /usr/bin/python3 generate_data.py ROWS OUT.csv
"""
import random
import sys

import pandas as pd
from faker import Faker

STORES = ["Hendon", "Mill Hill", "Barnet", "Edgware", "Finchley", "Golders Green", "Brent Cross", "Wembley",
          "Harrow", "Enfield", "Southgate", "Wood Green", "Camden", "Kilburn", "Stanmore", "Colindale"]
CATEGORIES = ["Technology", "Home & Garden", "Toys", "Sports & Leisure", "Health & Beauty", "Baby & Nursery",
              "Jewellery & Watches", "Clothing", "Office & Stationery", "Pets"]


def main(rows, out):
    fake = Faker("en_GB")
    fake.seed(42)
    random.seed(42)
    records = []
    for i in range(rows):
        records.append({
            "transaction_id": i + 1,
            "customer": fake.name(),
            "store": random.choice(STORES),
            "category": random.choice(CATEGORIES),
            "price": round(random.uniform(1, 500), 2),
            "date": fake.date_time_between(start_date="-1y", end_date="now"),
        })
    df = pd.DataFrame(records)
    df.to_csv(out, index=False)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
