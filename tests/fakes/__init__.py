"""Fakes of the services Youth Voice talks to, built on their real wire protocols."""
