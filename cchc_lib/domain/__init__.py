"""The vocabulary of CCHC reports: catalog, periods, units, findings, Vietnamese formatting (no I/O but the catalog file)."""
