"""Email: settings, message composition, the SMTP transport and the outbox's logic. No Qt."""
