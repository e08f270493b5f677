"""The views of the read models: SQLite (embedded, in-memory) and PostgreSQL adapters."""
