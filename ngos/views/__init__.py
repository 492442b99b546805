"""Pages of the organisations app, split by audience."""
