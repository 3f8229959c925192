"""Qt plumbing for work that must not run on the GUI thread: the mail notifier."""
