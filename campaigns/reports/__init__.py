"""Read-side queries for the staff dashboard and exports: SQL aggregates, no writes."""
