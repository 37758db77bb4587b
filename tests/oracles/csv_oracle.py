"""Parses a CSV file with Python's csv module (the reference for RFC 4180 handling) and prints the records as JSON."""
import csv
import json
import sys

with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    print(json.dumps([row for row in csv.reader(f)]))
