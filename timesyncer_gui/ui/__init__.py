"""Widgets, models and dialogs: the only layer that builds Qt widgets."""
