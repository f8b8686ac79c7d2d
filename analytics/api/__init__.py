"""REST API for the stored metrics (DRF; documented at /api/schema/)."""
