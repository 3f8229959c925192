"""The desk's rules in plain Python: bookings, validation, opening hours, the slot grid.

Nothing here imports Qt or touches a database, so it is tested in milliseconds and usable
from any script.
"""
