"""Pages of the services app."""
