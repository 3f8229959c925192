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
