"""The SQLite schema, one step per version; ``PRAGMA user_version`` records the last applied.

A step is never edited once released: a change is a new step, so every earlier file upgrades
along the same path. Times are whole seconds since the epoch, in UTC.
"""

from __future__ import annotations

# "TSYN" in ASCII: marks a file as ours, so a stranger's database is never migrated.
APPLICATION_ID = 0x5453594E

_V1 = """
CREATE TABLE resources (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);
INSERT INTO resources (id, name) VALUES (1, 'Main desk');

CREATE TABLE bookings (
    id              INTEGER PRIMARY KEY,
    resource_id     INTEGER NOT NULL REFERENCES resources(id),
    customer_name   TEXT NOT NULL,
    customer_email  TEXT NOT NULL,
    start_utc       INTEGER NOT NULL,
    end_utc         INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    created_utc     INTEGER NOT NULL,
    cancelled_utc   INTEGER,
    CHECK (end_utc > start_utc)
);

-- Active bookings never share a start on one resource, and the overlap check below reads
-- this index backwards from the new end: O(log n) at any size.
CREATE UNIQUE INDEX bookings_active_slot
    ON bookings (resource_id, start_utc) WHERE status = 'booked';
CREATE INDEX bookings_start ON bookings (start_utc);

-- The database itself refuses an overlap, whoever writes. Active bookings on a resource never
-- overlap, so their ends rise with their starts: the latest one starting before the new end is
-- the only one that can reach past the new start.
CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN NEW.status = 'booked' AND (
    SELECT b.end_utc FROM bookings AS b INDEXED BY bookings_active_slot
    WHERE b.resource_id = NEW.resource_id AND b.status = 'booked' AND b.start_utc < NEW.end_utc
    ORDER BY b.start_utc DESC LIMIT 1
) > NEW.start_utc
BEGIN
    SELECT RAISE(ABORT, 'slot_unavailable');
END;

CREATE TRIGGER bookings_no_overlap_update
BEFORE UPDATE OF status, start_utc, end_utc, resource_id ON bookings
WHEN NEW.status = 'booked' AND (
    SELECT b.end_utc FROM bookings AS b INDEXED BY bookings_active_slot
    WHERE b.resource_id = NEW.resource_id AND b.status = 'booked' AND b.start_utc < NEW.end_utc
      AND b.id <> NEW.id
    ORDER BY b.start_utc DESC LIMIT 1
) > NEW.start_utc
BEGIN
    SELECT RAISE(ABORT, 'slot_unavailable');
END;
"""

_V2 = """
ALTER TABLE bookings ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- The admin table sorts by any column; each sort reads an index, never the whole table.
CREATE INDEX bookings_created ON bookings (created_utc);
CREATE INDEX bookings_end ON bookings (end_utc);
CREATE INDEX bookings_resource ON bookings (resource_id);
CREATE INDEX bookings_name ON bookings (customer_name COLLATE NOCASE);
CREATE INDEX bookings_email ON bookings (customer_email COLLATE NOCASE);
CREATE INDEX bookings_status ON bookings (status);
CREATE INDEX bookings_active_start ON bookings (start_utc) WHERE status = 'booked';
"""


# Needs SQLite's FTS5 (in Python's own builds); a file opened without it skips this step and
# the search falls back to a scan. Trigrams match any part of a name or an address.
# New bookings are indexed just before a search rather than inside each booking's transaction,
# which keeps booking as cheap as it can be; search_progress remembers how far the index goes.
# Replaced by _V6, which indexes the folded keys of _V5.
_V3 = """
-- requires: fts5
CREATE VIRTUAL TABLE bookings_search USING fts5(
    customer_name, customer_email, content = 'bookings', content_rowid = 'id',
    tokenize = 'trigram'
);
INSERT INTO bookings_search (bookings_search) VALUES ('rebuild');
CREATE TABLE search_progress (last_id INTEGER NOT NULL);
INSERT INTO search_progress (last_id) SELECT coalesce(max(id), 0) FROM bookings;

CREATE TRIGGER bookings_search_delete AFTER DELETE ON bookings
WHEN OLD.id <= (SELECT last_id FROM search_progress)
BEGIN
    INSERT INTO bookings_search (bookings_search, rowid, customer_name, customer_email)
    VALUES ('delete', OLD.id, OLD.customer_name, OLD.customer_email);
END;

CREATE TRIGGER bookings_search_update AFTER UPDATE OF customer_name, customer_email ON bookings
WHEN OLD.id <= (SELECT last_id FROM search_progress)
BEGIN
    INSERT INTO bookings_search (bookings_search, rowid, customer_name, customer_email)
    VALUES ('delete', OLD.id, OLD.customer_name, OLD.customer_email);
    INSERT INTO bookings_search (rowid, customer_name, customer_email)
    VALUES (NEW.id, NEW.customer_name, NEW.customer_email);
END;
"""

# The outbox: every email the desk owes a customer, written in the same transaction as the
# change that causes it, so a booking and its confirmation are stored together or not at all.
_V4 = """
ALTER TABLE bookings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;

CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    booking_id          INTEGER NOT NULL REFERENCES bookings(id),
    kind                TEXT NOT NULL
                        CHECK (kind IN ('confirmation', 'cancellation', 'move', 'reminder')),
    lead_minutes        INTEGER,
    recipient           TEXT NOT NULL,
    customer_name       TEXT NOT NULL,
    start_utc           INTEGER NOT NULL,
    end_utc             INTEGER NOT NULL,
    sequence            INTEGER NOT NULL,
    token               TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_utc    INTEGER NOT NULL,
    created_utc         INTEGER NOT NULL,
    first_attempt_utc   INTEGER,
    claimed_utc         INTEGER,
    sent_utc            INTEGER,
    last_error          TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_utc);
CREATE INDEX outbox_booking ON outbox (booking_id);
-- A reminder is claimed by inserting it: a second desk's insert of the same one is ignored.
-- The start is part of the key, so a booking moved to another day gets its own reminders.
CREATE UNIQUE INDEX outbox_one_reminder ON outbox (booking_id, lead_minutes, start_utc)
    WHERE kind = 'reminder';
"""

# Search and the name sort compare names and addresses folded: no case, no accents (see
# domain/folding.py). The folded keys are written by the app, since SQL has no such function;
# what any other program writes stays right in plain SQL: a changed name has its keys cleared,
# and the app folds every booking without keys before it searches or sorts by name.
_V5 = """
ALTER TABLE bookings ADD COLUMN name_key TEXT;
ALTER TABLE bookings ADD COLUMN email_key TEXT;
UPDATE bookings SET name_key = fold(CAST(customer_name AS BLOB)),
    email_key = fold(CAST(customer_email AS BLOB));
CREATE INDEX bookings_name_key ON bookings (name_key);
DROP INDEX bookings_name;

-- A writer that sets the keys along with the name is taken at its word; only a name changed
-- under keys left as they were clears them.
CREATE TRIGGER bookings_keys_stale AFTER UPDATE OF customer_name, customer_email ON bookings
WHEN NEW.name_key IS NOT NULL AND NEW.name_key IS OLD.name_key
    AND NEW.email_key IS OLD.email_key
BEGIN
    UPDATE bookings SET name_key = NULL, email_key = NULL WHERE id = NEW.id;
END;
"""

# The search index, now over the folded keys. A booking is in it exactly while it has keys,
# and with those keys, whatever any program inserts, updates or deletes: triggers add, replace
# and remove its entry. Replacing a row (INSERT OR REPLACE, or UPDATE OR REPLACE to an id in
# use) would remove the other row without a trigger, so the database refuses an id in use; an
# UPDATE changes a booking. The index is never rebuilt after this step: a rebuild would also
# enter the bookings not yet folded.
# One UPDATE that sets a name and its keys to what they were fires bookings_search_keys and
# bookings_keys_stale both; SQLite fires the newer first, which is the order that keeps the
# index right, so bookings_keys_stale must stay the older (a test covers it).
_V6 = """
-- requires: fts5
DROP TRIGGER IF EXISTS bookings_search_delete;
DROP TRIGGER IF EXISTS bookings_search_update;
DROP TABLE IF EXISTS bookings_search;
DROP TABLE IF EXISTS search_progress;
CREATE VIRTUAL TABLE bookings_search USING fts5(
    name_key, email_key, content = 'bookings', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO bookings_search (bookings_search) VALUES ('rebuild');

-- NEW.id is -1 when the insert gives no id, as the app's own do.
CREATE TRIGGER bookings_no_replace BEFORE INSERT ON bookings
WHEN NEW.id <> -1 AND EXISTS (SELECT 1 FROM bookings WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'booking_exists');
END;

CREATE TRIGGER bookings_no_replace_id BEFORE UPDATE OF id ON bookings
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM bookings WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'booking_exists');
END;

CREATE TRIGGER bookings_search_insert AFTER INSERT ON bookings
WHEN NEW.name_key IS NOT NULL
BEGIN
    INSERT INTO bookings_search (rowid, name_key, email_key)
    VALUES (NEW.id, NEW.name_key, NEW.email_key);
END;

CREATE TRIGGER bookings_search_keys AFTER UPDATE OF id, name_key, email_key ON bookings
BEGIN
    INSERT INTO bookings_search (bookings_search, rowid, name_key, email_key)
    SELECT 'delete', OLD.id, OLD.name_key, OLD.email_key WHERE OLD.name_key IS NOT NULL;
    INSERT INTO bookings_search (rowid, name_key, email_key)
    SELECT NEW.id, NEW.name_key, NEW.email_key WHERE NEW.name_key IS NOT NULL;
END;

CREATE TRIGGER bookings_search_delete AFTER DELETE ON bookings
WHEN OLD.name_key IS NOT NULL
BEGIN
    INSERT INTO bookings_search (bookings_search, rowid, name_key, email_key)
    VALUES ('delete', OLD.id, OLD.name_key, OLD.email_key);
END;
"""

# Tries that never reached a mail server (the connection was refused or timed out): such a
# try cannot have delivered anything, so an email tried only that way is one the customer
# cannot have had. attempts - unreached counts the tries that may have delivered it (Retry
# now starts attempts again at 0 and keeps that difference, so unreached may go below 0).
# Rows from before count every try as one that may have.
_V7 = """
ALTER TABLE outbox ADD COLUMN unreached INTEGER NOT NULL DEFAULT 0;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7)
LATEST_VERSION = len(MIGRATIONS)
