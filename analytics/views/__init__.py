"""Dashboards (pages), exports (CSV/JSON of every chart) and identity decisions (staff)."""
