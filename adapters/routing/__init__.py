"""The routing table as data: ``category,district,organisation`` rows, an empty district
meaning "any district without its own row". Rostov-on-Don's table ships as rostov.csv."""

import csv
from pathlib import Path

from application.intake.routing import Route, RoutingTable

ROSTOV = Path(__file__).with_name("rostov.csv")


def load_routing_table(path: Path = ROSTOV) -> RoutingTable:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames != ["category", "district", "organisation"]:
            raise ValueError(f"{path}: the columns must be category,district,organisation")
        return RoutingTable(
            Route(
                category=row["category"].strip(),
                district=row["district"].strip() or None,
                organisation=row["organisation"].strip(),
            )
            for row in reader
        )
