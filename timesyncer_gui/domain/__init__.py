"""The desk's rules in plain Python: bookings, validation, opening hours, the slot grid.

Nothing here imports Qt or touches a database, so it is tested in milliseconds and usable
from any script.

Its records (bookings, slots, opening hours), like the settings, are ``typing.NamedTuple``s:
immutable, compared by value, and cheap to define. A frozen dataclass compiles its methods
from source text when its module is imported, about 1.5 ms a class here; a dozen of them were
a third of the plain-Python part of start-up. Being tuples, they also compare equal to
plain tuples of the same values and can be unpacked; nothing here relies on either.
"""
