"""Ledgers (台账): every list page exported to Excel in the official shape, and member and organization ledgers imported."""
