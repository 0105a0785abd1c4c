"""Youth Voice: the composition root, settings, command line and logging."""
