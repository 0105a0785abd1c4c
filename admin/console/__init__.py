"""The console for workers, managers, reviewers, safeguarding leads and admins."""
