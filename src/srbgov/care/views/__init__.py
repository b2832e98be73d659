"""Girl care pages, in three modules (docs/care.md)."""
