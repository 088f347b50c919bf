"""Business rules over the database: each function takes a session and plain values."""
