"""The web side: the admin console for staff and the web chat for young people, served by
one ASGI app (`admin.app.create_app`)."""
